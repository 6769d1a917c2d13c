"""Loads libspotifymon.so, checks its ABI version, and maps status codes to exceptions.

Engine modules (anomaly, alerts, forecast, cluster) declare the argtypes of their own
functions on `lib` and build on `check`, `native_config`, `take_string` and `Handle`.
"""
from __future__ import annotations

import contextlib
import ctypes
import os
import pathlib
from typing import Iterator, Mapping, Optional

#: The ABI this binding was written against (SMON_VERSION_NUMBER: major*1e6 + minor*1e3 + patch).
ABI_VERSION = 1000

_LIB_NAME = "libspotifymon.so"


class SpotifyMonError(Exception):
    """A failed library call: `status` is the smon_status code, the text the library's message."""

    status = -1

    def __init__(self, message: str, status: Optional[int] = None):
        super().__init__(message)
        if status is not None:
            self.status = status


class InvalidArgumentError(SpotifyMonError, ValueError):
    status = 1


class NullPointerError(SpotifyMonError, ValueError):
    status = 2


class BadHandleError(SpotifyMonError, ValueError):
    status = 3


class ConfigError(SpotifyMonError, ValueError):
    status = 4


class NotFoundError(SpotifyMonError, KeyError):
    status = 5

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class CapacityError(SpotifyMonError):
    status = 6


class CorruptSnapshotError(SpotifyMonError, ValueError):
    status = 7


class StateError(SpotifyMonError, RuntimeError):
    status = 8


class NumericError(SpotifyMonError, ArithmeticError):
    status = 9


class OutOfMemoryError(SpotifyMonError, MemoryError):
    status = 10


class InternalError(SpotifyMonError, RuntimeError):
    status = 11


_BY_STATUS = {cls.status: cls for cls in (
    InvalidArgumentError, NullPointerError, BadHandleError, ConfigError, NotFoundError,
    CapacityError, CorruptSnapshotError, StateError, NumericError, OutOfMemoryError, InternalError)}


def _candidates() -> Iterator[pathlib.Path]:
    env = os.environ.get("SPOTIFYMON_LIBRARY")
    if env:
        yield pathlib.Path(env)
        return
    here = pathlib.Path(__file__).resolve().parent
    yield here / _LIB_NAME
    for base in [here, *here.parents, pathlib.Path.cwd()]:
        yield base / ".build" / "release" / _LIB_NAME


def _load() -> ctypes.CDLL:
    tried = []
    for path in _candidates():
        tried.append(str(path))
        if path.is_file():
            return ctypes.CDLL(str(path))
    raise ImportError("libspotifymon.so not found; build it with `swift build -c release` or set "
                      "SPOTIFYMON_LIBRARY. Tried: " + ", ".join(tried))


lib = _load()

lib.smon_version.restype = ctypes.c_char_p
lib.smon_version.argtypes = []
lib.smon_version_number.restype = ctypes.c_int
lib.smon_version_number.argtypes = []
lib.smon_status_string.restype = ctypes.c_char_p
lib.smon_status_string.argtypes = [ctypes.c_int]
lib.smon_last_error.restype = ctypes.c_char_p
lib.smon_last_error.argtypes = []
lib.smon_free.restype = None
lib.smon_free.argtypes = [ctypes.c_void_p]
lib.smon_config_new.restype = ctypes.c_int
lib.smon_config_new.argtypes = [ctypes.POINTER(ctypes.c_void_p)]
lib.smon_config_set.restype = ctypes.c_int
lib.smon_config_set.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t]
lib.smon_config_get.restype = ctypes.c_int
lib.smon_config_get.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t,
                                ctypes.POINTER(ctypes.c_size_t)]
lib.smon_config_describe.restype = ctypes.c_int
lib.smon_config_describe.argtypes = [ctypes.POINTER(ctypes.c_void_p)]
lib.smon_config_free.restype = None
lib.smon_config_free.argtypes = [ctypes.c_void_p]

_found = lib.smon_version_number()
if _found // 1000 != ABI_VERSION // 1000 or _found < ABI_VERSION:
    raise ImportError(f"libspotifymon ABI {_found} does not match this binding's {ABI_VERSION}")

#: The loaded library's version text.
version: str = lib.smon_version().decode()


def last_error() -> str:
    """The calling thread's last error message."""
    return (lib.smon_last_error() or b"").decode("utf-8", "replace")


def check(status: int) -> None:
    """Raises the exception of a non-zero status, with the library's message."""
    if status != 0:
        cls = _BY_STATUS.get(status, SpotifyMonError)
        raise cls(last_error() or lib.smon_status_string(status).decode(), status)


def encode(text: str, what: str = "text") -> bytes:
    """UTF-8 bytes of a str (bytes pass through) for a `const char *` argument."""
    if isinstance(text, bytes):
        return text
    if not isinstance(text, str):
        raise TypeError(f"{what} must be str, not {type(text).__name__}")
    if "\x00" in text:
        raise InvalidArgumentError(f"{what} contains a NUL character", 1)
    return text.encode("utf-8", "surrogatepass")


def take_string(ptr: ctypes.c_void_p) -> str:
    """Decodes a library-allocated `char *` and frees it with smon_free."""
    if not ptr:
        return ""
    try:
        return ctypes.string_at(ptr).decode("utf-8", "replace")
    finally:
        lib.smon_free(ptr)


class Config:
    """An owned smon_config built from a mapping of key -> value (values stringified)."""

    def __init__(self, options: Optional[Mapping[str, object]] = None):
        ptr = ctypes.c_void_p()
        check(lib.smon_config_new(ctypes.byref(ptr)))
        self.ptr = ptr
        try:
            for key, value in (options or {}).items():
                self.set(key, value)
        except BaseException:
            self.close()
            raise

    def set(self, key: str, value: object) -> None:
        """Sets one key; raises ConfigError for unknown keys or bad values."""
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (list, tuple, set)):
            value = ",".join(str(v) for v in value)
        err = ctypes.create_string_buffer(512)
        status = lib.smon_config_set(self.ptr, encode(key, "key"), encode(str(value), "value"), err, len(err))
        if status != 0:
            cls = _BY_STATUS.get(status, SpotifyMonError)
            raise cls(err.value.decode("utf-8", "replace"), status)

    def get(self, key: str) -> str:
        """The value of a key (set or default)."""
        needed = ctypes.c_size_t()
        check(lib.smon_config_get(self.ptr, encode(key, "key"), None, 0, ctypes.byref(needed)))
        buf = ctypes.create_string_buffer(needed.value)
        check(lib.smon_config_get(self.ptr, encode(key, "key"), buf, len(buf), None))
        return buf.value.decode()

    def close(self) -> None:
        if self.ptr:
            lib.smon_config_free(self.ptr)
            self.ptr = ctypes.c_void_p()

    def __enter__(self) -> "Config":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()


@contextlib.contextmanager
def native_config(options: Optional[Mapping[str, object]]) -> Iterator[Optional[ctypes.c_void_p]]:
    """Yields an `smon_config *` for the options (None for no options: defaults)."""
    if not options:
        yield None
        return
    with Config(options) as cfg:
        yield cfg.ptr


def describe_config() -> list:
    """Every configuration key with its default and documentation."""
    import json
    out = ctypes.c_void_p()
    check(lib.smon_config_describe(ctypes.byref(out)))
    return json.loads(take_string(out))


class Performance(ctypes.Structure):
    """Mirror of `smon_performance`."""
    _fields_ = [("count", ctypes.c_uint64), ("events_per_second", ctypes.c_double),
                ("mean_latency_us", ctypes.c_double), ("p50_latency_us", ctypes.c_double),
                ("p95_latency_us", ctypes.c_double), ("p99_latency_us", ctypes.c_double),
                ("uptime_seconds", ctypes.c_double)]


_declared: set = set()


def _declare_engine(prefix: str) -> None:
    if prefix in _declared:
        return
    p = f"smon_{prefix}_"
    getattr(lib, p + "free").restype = None
    getattr(lib, p + "free").argtypes = [ctypes.c_void_p]
    getattr(lib, p + "snapshot").restype = ctypes.c_int
    getattr(lib, p + "snapshot").argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p),
                                             ctypes.POINTER(ctypes.c_size_t)]
    getattr(lib, p + "restore").restype = ctypes.c_int
    getattr(lib, p + "restore").argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
    getattr(lib, p + "performance").restype = ctypes.c_int
    getattr(lib, p + "performance").argtypes = [ctypes.c_void_p, ctypes.POINTER(Performance)]
    getattr(lib, p + "add_deployment").restype = ctypes.c_int
    getattr(lib, p + "add_deployment").argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int64,
                                                   ctypes.c_int64]
    _declared.add(prefix)


class Handle:
    """An owned engine handle (`smon_<prefix>*`) with the calls every engine shares."""

    def __init__(self, prefix: str, ptr: ctypes.c_void_p):
        _declare_engine(prefix)
        self._prefix = prefix
        self.ptr = ptr

    def _fn(self, name: str):
        return getattr(lib, f"smon_{self._prefix}_{name}")

    def _live(self) -> ctypes.c_void_p:
        if not self.ptr:
            raise BadHandleError(f"{type(self).__name__} is closed", 3)
        return self.ptr

    def close(self) -> None:
        """Frees the handle; further calls raise BadHandleError."""
        if getattr(self, "ptr", None):
            self._fn("free")(self.ptr)
            self.ptr = ctypes.c_void_p()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    def snapshot(self) -> bytes:
        """The engine's whole state (versioned, checksummed)."""
        data, size = ctypes.c_void_p(), ctypes.c_size_t()
        check(self._fn("snapshot")(self._live(), ctypes.byref(data), ctypes.byref(size)))
        try:
            return ctypes.string_at(data, size.value)
        finally:
            lib.smon_free(data)

    def restore(self, data: bytes) -> None:
        """Replaces the state with a snapshot's; raises CorruptSnapshotError and keeps the state on bad data."""
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError("snapshot must be bytes")
        data = bytes(data)
        check(self._fn("restore")(self._live(), data, len(data)))

    def performance(self) -> dict:
        """get_performance_metrics: count, events/s, mean/p50/p95/p99 latency (µs), uptime,
        plus the seed's names: avg/p50/p95/p99_latency_ms and `accuracy`, which is None (the
        library sees no ground truth at run time; measured accuracy is in EVALUATION.md)."""
        out = Performance()
        check(self._fn("performance")(self._live(), ctypes.byref(out)))
        perf = {name: getattr(out, name) for name, _ in Performance._fields_}
        perf["avg_latency_ms"] = perf["mean_latency_us"] / 1000.0
        for q in ("p50", "p95", "p99"):
            perf[f"{q}_latency_ms"] = perf[f"{q}_latency_us"] / 1000.0
        perf["accuracy"] = None
        return perf

    get_performance_metrics = performance

    def add_deployment(self, service: Optional[str], start_ms: int, end_ms: int) -> None:
        """Announces a deployment window of a service (None: every service)."""
        svc = None if service is None else encode(service, "service")
        check(self._fn("add_deployment")(self._live(), svc, int(start_ms), int(end_ms)))
