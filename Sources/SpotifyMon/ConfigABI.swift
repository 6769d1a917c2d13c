import SpotifyMonCore

/// The object behind an `smon_config *`: a `Configuration` under a lock.
final class ConfigBox: @unchecked Sendable {
    let lock = Lock()
    var config = Configuration()
}

let configs = HandleTable<ConfigBox>("smon_config")

/// `smon_status smon_config_new(smon_config **out)`
@_cdecl("smon_config_new")
public func smon_config_new(_ out: UnsafeMutablePointer<OpaquePointer?>?) -> Int32 {
    abiCall("smon_config_new") {
        let out = try Check.notNull(out, "out")
        out.pointee = configs.register(ConfigBox())
    }
}

/// `smon_status smon_config_set(smon_config *cfg, const char *key, const char *value, char *errbuf, size_t errlen)`
@_cdecl("smon_config_set")
public func smon_config_set(_ cfg: OpaquePointer?, _ key: UnsafePointer<CChar>?, _ value: UnsafePointer<CChar>?,
                            _ errbuf: UnsafeMutablePointer<CChar>?, _ errlen: Int) -> Int32 {
    let status = abiCall("smon_config_set") {
        let box = try configs.get(cfg)
        let k = try Check.string(key, "key", maxBytes: 256)
        let v = try Check.string(value, "value", maxBytes: 1 << 16)
        try box.lock.withLock { try box.config.set(k, v) }
    }
    if status != 0 { copyString(String(cString: smon_last_error()), into: errbuf, capacity: errlen) }
    else { copyString("", into: errbuf, capacity: errlen) }
    return status
}

/// `smon_status smon_config_get(const smon_config *cfg, const char *key, char *buf, size_t buflen, size_t *needed)`
@_cdecl("smon_config_get")
public func smon_config_get(_ cfg: OpaquePointer?, _ key: UnsafePointer<CChar>?, _ buf: UnsafeMutablePointer<CChar>?,
                            _ buflen: Int, _ needed: UnsafeMutablePointer<Int>?) -> Int32 {
    abiCall("smon_config_get") {
        let box = try configs.get(cfg)
        let k = try Check.string(key, "key", maxBytes: 256)
        let v = try box.lock.withLock { try box.config.get(k) }
        let size = v.utf8.count + 1
        needed?.pointee = size
        if buf == nil && needed != nil { return }
        let b = try Check.notNull(buf, "buf")
        guard buflen >= size else {
            throw ABIFailure(status: .capacity, message: "buf holds \(buflen) bytes, the value needs \(size)")
        }
        copyString(v, into: b, capacity: buflen)
    }
}

/// `smon_status smon_config_describe(char **json_out)`
@_cdecl("smon_config_describe")
public func smon_config_describe(_ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    abiCall("smon_config_describe") {
        let out = try Check.notNull(out, "json_out")
        var json = JSONWriter()
        json.beginArray()
        for name in ConfigSchema.keys.keys.sorted() {
            let k = ConfigSchema.keys[name]!
            json.beginObject()
            json.key("key"); json.string(name)
            json.key("default"); json.string(k.defaultValue)
            json.key("doc"); json.string(k.doc)
            json.endObject()
        }
        json.endArray()
        out.pointee = try mallocString(json.text)
    }
}

/// `void smon_config_free(smon_config *cfg)`
@_cdecl("smon_config_free")
public func smon_config_free(_ cfg: OpaquePointer?) { configs.remove(cfg) }

/// The configuration behind an optional `const smon_config *` (NULL: all defaults).
func configuration(_ cfg: OpaquePointer?) throws -> Configuration {
    guard cfg != nil else { return Configuration() }
    let box = try configs.get(cfg)
    return box.lock.withLock { box.config }
}
