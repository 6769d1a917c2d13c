package spotifymon

/*
#include <stdlib.h>
#include "spotifymon.h"
extern void smonGoAnomalyCallback(void *user, smon_anomaly *event);
static smon_status smon_go_detector_set_callback(smon_detector *d, void *user) {
    return smon_detector_set_callback(d, user ? (smon_anomaly_callback)smonGoAnomalyCallback : NULL, user);
}
*/
import "C"

import (
	"errors"
	"runtime"
	"runtime/cgo"
	"unsafe"
)

// Anomaly is the result of one observation (mirror of smon_anomaly).
type Anomaly struct {
	Score          float64
	IsAnomaly      bool
	Severity       int // 0 none .. 4 critical
	RawScore       float64
	Expected       float64
	ExpectedLow    float64
	ExpectedHigh   float64
	ImpactScore    float64
	ImpactCategory int // 0 revenue, 1 user experience, 2 operational, 3 security
	Drift          int // bit 1 Page-Hinkley, bit 2 ADWIN
	SeriesID       uint32
	GroupID        uint32
}

func fromC(a *C.smon_anomaly) Anomaly {
	return Anomaly{Score: float64(a.score), IsAnomaly: a.is_anomaly != 0, Severity: int(a.severity),
		RawScore: float64(a.raw_score), Expected: float64(a.expected), ExpectedLow: float64(a.expected_low),
		ExpectedHigh: float64(a.expected_high), ImpactScore: float64(a.impact_score),
		ImpactCategory: int(a.impact_category), Drift: int(a.drift), SeriesID: uint32(a.series_id),
		GroupID: uint32(a.group_id)}
}

// Detector is a streaming anomaly detector over many series (safe for concurrent use).
type Detector struct {
	h  *C.smon_detector
	cb unsafe.Pointer // C memory holding the cgo.Handle of the OnAnomaly function, or nil
}

// NewDetector creates a detector; options are config keys (detector.*, context.*), nil for defaults.
func NewDetector(options map[string]string) (*Detector, error) {
	d := &Detector{}
	if err := withConfig(options, func(cfg *C.smon_config) C.smon_status { return C.smon_detector_new(cfg, &d.h) }); err != nil {
		return nil, err
	}
	return d, nil
}

// Close frees the detector; further calls fail.
func (d *Detector) Close() {
	if d.h != nil {
		C.smon_detector_free(d.h)
		d.h = nil
	}
	releaseCallback(d.cb)
	d.cb = nil
}

// OnAnomaly registers fn (nil: none) to receive every anomaly or drift as Observe and
// ObserveBatch find them, in input order, on the goroutine that observes. fn may call the
// detector. Not to be called concurrently with itself or Close on one detector.
func (d *Detector) OnAnomaly(fn func(Anomaly)) error {
	var user unsafe.Pointer
	if fn != nil {
		user = C.malloc(C.size_t(unsafe.Sizeof(C.uintptr_t(0))))
		*(*C.uintptr_t)(user) = C.uintptr_t(cgo.NewHandle(fn))
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := statusError(C.smon_go_detector_set_callback(d.h, user)); err != nil {
		releaseCallback(user)
		return err
	}
	releaseCallback(d.cb)
	d.cb = user
	return nil
}

func releaseCallback(user unsafe.Pointer) {
	if user != nil {
		cgo.Handle(*(*C.uintptr_t)(user)).Delete()
		C.free(user)
	}
}

// Series returns the id of a Prometheus-style series key, registering it on first use.
func (d *Detector) Series(key string) (uint32, error) {
	return seriesID(key, func(k *C.char, id *C.uint32_t) C.smon_status { return C.smon_detector_series(d.h, k, id) })
}

// Observe scores one point of a series and learns from it.
func (d *Detector) Observe(id uint32, tsMs int64, value float64) (Anomaly, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var out C.smon_anomaly
	if err := statusError(C.smon_detector_observe(d.h, C.uint32_t(id), C.int64_t(tsMs), C.double(value), &out)); err != nil {
		return Anomaly{}, err
	}
	return fromC(&out), nil
}

// ObserveBatch scores parallel slices of points in order.
func (d *Detector) ObserveBatch(ids []uint32, tsMs []int64, values []float64) ([]Anomaly, error) {
	n := len(ids)
	if n == 0 || len(tsMs) != n || len(values) != n {
		return nil, errors.New("spotifymon: ObserveBatch needs non-empty slices of one length")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	out := make([]C.smon_anomaly, n)
	s := C.smon_detector_observe_batch(d.h, C.size_t(n), (*C.uint32_t)(unsafe.Pointer(&ids[0])),
		(*C.int64_t)(unsafe.Pointer(&tsMs[0])), (*C.double)(unsafe.Pointer(&values[0])), &out[0])
	if err := statusError(s); err != nil {
		return nil, err
	}
	res := make([]Anomaly, n)
	for i := range out {
		res[i] = fromC(&out[i])
	}
	return res, nil
}

// Explain returns the JSON explanation of a series' last observation.
func (d *Detector) Explain(id uint32) (string, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var p *C.char
	if err := statusError(C.smon_detector_explain(d.h, C.uint32_t(id), &p)); err != nil {
		return "", err
	}
	return takeString(p), nil
}

// Snapshot returns the detector's whole state.
func (d *Detector) Snapshot() ([]byte, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var p unsafe.Pointer
	var n C.size_t
	if err := statusError(C.smon_detector_snapshot(d.h, &p, &n)); err != nil {
		return nil, err
	}
	defer C.smon_free(p)
	return C.GoBytes(p, C.int(n)), nil
}

// Restore replaces the state with a snapshot's.
func (d *Detector) Restore(b []byte) error {
	if len(b) == 0 {
		return errors.New("spotifymon: empty snapshot")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return statusError(C.smon_detector_restore(d.h, unsafe.Pointer(&b[0]), C.size_t(len(b))))
}
