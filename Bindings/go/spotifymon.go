// Package spotifymon is the Go (cgo) binding of libspotifymon: in-process anomaly detection,
// alert classification, forecasting and clustering. It links the library built by
// `swift build -c release` in the repository (../../.build/release/libspotifymon.so).
package spotifymon

/*
#cgo CFLAGS: -I${SRCDIR}/../../Include
#cgo LDFLAGS: -L${SRCDIR}/../../.build/release -lspotifymon -Wl,-rpath,${SRCDIR}/../../.build/release
#include <stdlib.h>
#include "spotifymon.h"
*/
import "C"

import (
	"fmt"
	"runtime"
	"unsafe"
)

// ABIVersion is the SMON_VERSION_NUMBER this binding was written against.
const ABIVersion = C.SMON_VERSION_NUMBER

// Version is the loaded library's version text.
func Version() string { return C.GoString(C.smon_version()) }

// VersionNumber is the loaded library's SMON_VERSION_NUMBER.
func VersionNumber() int { return int(C.smon_version_number()) }

// Error is a failed library call: the smon_status code and the library's message.
type Error struct {
	Status  int
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("spotifymon: %s (status %d)", e.Message, e.Status)
}

// statusError turns a status into nil or an *Error carrying smon_last_error().
// cgo calls may move between OS threads: call it right after the failing call, in the same
// goroutine, with runtime.LockOSThread held when exact messages matter.
func statusError(s C.smon_status) error {
	if s == C.SMON_OK {
		return nil
	}
	msg := C.GoString(C.smon_last_error())
	if msg == "" {
		msg = C.GoString(C.smon_status_string(s))
	}
	return &Error{Status: int(s), Message: msg}
}

// newConfig builds an smon_config from key/value options; the caller frees it with
// C.smon_config_free. Unknown keys and bad values return an *Error with the message.
func newConfig(options map[string]string) (*C.smon_config, error) {
	var cfg *C.smon_config
	if err := statusError(C.smon_config_new(&cfg)); err != nil {
		return nil, err
	}
	errbuf := (*C.char)(C.malloc(512))
	defer C.free(unsafe.Pointer(errbuf))
	for k, v := range options {
		ck, cv := C.CString(k), C.CString(v)
		s := C.smon_config_set(cfg, ck, cv, errbuf, 512)
		C.free(unsafe.Pointer(ck))
		C.free(unsafe.Pointer(cv))
		if s != C.SMON_OK {
			C.smon_config_free(cfg)
			return nil, &Error{Status: int(s), Message: C.GoString(errbuf)}
		}
	}
	return cfg, nil
}

// ValidateConfig checks a set of options against the library's schema.
func ValidateConfig(options map[string]string) error {
	cfg, err := newConfig(options)
	if err != nil {
		return err
	}
	C.smon_config_free(cfg)
	return nil
}

// takeString copies a library-allocated string and frees it with smon_free.
func takeString(p *C.char) string {
	if p == nil {
		return ""
	}
	s := C.GoString(p)
	C.smon_free(unsafe.Pointer(p))
	return s
}

// DescribeConfig returns every configuration key with its default and documentation, as JSON.
func DescribeConfig() (string, error) {
	var out *C.char
	if err := statusError(C.smon_config_describe(&out)); err != nil {
		return "", err
	}
	return takeString(out), nil
}

// withConfig runs an engine constructor with the config built from options (nil or empty:
// defaults), on a locked OS thread so that smon_last_error() is the failing call's.
func withConfig(options map[string]string, newEngine func(cfg *C.smon_config) C.smon_status) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var cfg *C.smon_config
	if len(options) > 0 {
		c, err := newConfig(options)
		if err != nil {
			return err
		}
		cfg = c
		defer C.smon_config_free(cfg)
	}
	return statusError(newEngine(cfg))
}

// seriesID interns a series key through an engine's *_series call.
func seriesID(key string, intern func(key *C.char, id *C.uint32_t) C.smon_status) (uint32, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	ck := C.CString(key)
	defer C.free(unsafe.Pointer(ck))
	var id C.uint32_t
	if err := statusError(intern(ck, &id)); err != nil {
		return 0, err
	}
	return uint32(id), nil
}
