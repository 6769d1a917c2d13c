/// The library version; `Include/spotifymon.h` repeats it in `SMON_VERSION_*` and a test
/// checks that the two agree.
public enum LibraryVersion {
    /// Major: changes break the C ABI.
    public static let major = 0
    /// Minor: additions.
    public static let minor = 1
    /// Patch: fixes.
    public static let patch = 0
    /// `major.minor.patch`.
    public static let string = "\(major).\(minor).\(patch)"
    /// `major * 1_000_000 + minor * 1_000 + patch`, as `SMON_VERSION_NUMBER`.
    public static let number = major * 1_000_000 + minor * 1_000 + patch
}
