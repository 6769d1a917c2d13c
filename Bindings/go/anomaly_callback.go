package spotifymon

/*
#include "spotifymon.h"
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

// smonGoAnomalyCallback is the C callback every Go detector registers: user points to C
// memory holding the cgo.Handle of the detector's Go function.
//
//export smonGoAnomalyCallback
func smonGoAnomalyCallback(user unsafe.Pointer, event *C.smon_anomaly) {
	if user == nil || event == nil {
		return
	}
	h := cgo.Handle(*(*C.uintptr_t)(user))
	if fn, ok := h.Value().(func(Anomaly)); ok {
		fn(fromC(event))
	}
}
