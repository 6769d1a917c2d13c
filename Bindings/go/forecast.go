package spotifymon

/*
#include <stdlib.h>
#include "spotifymon.h"
*/
import "C"

import (
	"errors"
	"runtime"
	"unsafe"
)

// Forecaster is a streaming forecaster handle (smon_forecaster): per-series online models with
// automatic selection, calibrated intervals, drift re-selection and breach risk.
type Forecaster struct{ h *C.smon_forecaster }

// Breach is the risk that a series crosses a threshold within a horizon.
type Breach struct {
	Probability    float64 // P(at least one crossing within the horizon)
	ExpectedSteps  float64 // expected first-crossing step given a crossing (0: none)
	ExpectedMs     int64   // ExpectedSteps x the sampling step (0: unknown)
	MeanCrossStep  int     // first step where the point forecast crosses (0: never)
	RiskLevel      int     // 0 none .. 4 critical (SMON_SEVERITY_*)
	BusinessImpact float64 // 0..1
}

// NewForecaster creates a forecaster; options are forecaster.* (and shared) config keys.
func NewForecaster(options map[string]string) (*Forecaster, error) {
	f := &Forecaster{}
	if err := withConfig(options, func(cfg *C.smon_config) C.smon_status { return C.smon_forecaster_new(cfg, &f.h) }); err != nil {
		return nil, err
	}
	return f, nil
}

// Close releases the handle (idempotent).
func (f *Forecaster) Close() {
	if f.h != nil {
		C.smon_forecaster_free(f.h)
		f.h = nil
	}
}

// Series returns the id of a series key such as `cpu{host="a"}`.
func (f *Forecaster) Series(key string) (uint32, error) {
	return seriesID(key, func(k *C.char, id *C.uint32_t) C.smon_status { return C.smon_forecaster_series(f.h, k, id) })
}

// Observe absorbs one point (timestamps in ms, increasing per series).
func (f *Forecaster) Observe(id uint32, tsMs int64, value float64) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return statusError(C.smon_forecaster_observe(f.h, C.uint32_t(id), C.int64_t(tsMs), C.double(value)))
}

// ObserveBatch absorbs parallel slices in order.
func (f *Forecaster) ObserveBatch(ids []uint32, tsMs []int64, values []float64) error {
	if len(ids) != len(tsMs) || len(ids) != len(values) {
		return errors.New("spotifymon: ObserveBatch slices differ in length")
	}
	if len(ids) == 0 {
		return nil
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return statusError(C.smon_forecaster_observe_batch(f.h, (*C.uint32_t)(unsafe.Pointer(&ids[0])),
		(*C.int64_t)(unsafe.Pointer(&tsMs[0])), (*C.double)(unsafe.Pointer(&values[0])), C.size_t(len(ids))))
}

// Forecast returns the point forecast and the central interval at level (e.g. 0.95).
func (f *Forecaster) Forecast(id uint32, horizon int, level float64) (mean, lo, hi []float64, err error) {
	if horizon < 1 {
		return nil, nil, nil, errors.New("spotifymon: horizon must be at least 1")
	}
	mean, lo, hi = make([]float64, horizon), make([]float64, horizon), make([]float64, horizon)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	err = statusError(C.smon_forecaster_forecast(f.h, C.uint32_t(id), C.size_t(horizon), C.double(level),
		(*C.double)(unsafe.Pointer(&mean[0])), (*C.double)(unsafe.Pointer(&lo[0])), (*C.double)(unsafe.Pointer(&hi[0]))))
	if err != nil {
		return nil, nil, nil, err
	}
	return mean, lo, hi, nil
}

// Breach estimates the risk that series id crosses threshold (upward if above) within horizon steps.
func (f *Forecaster) Breach(id uint32, threshold float64, above bool, horizon int) (Breach, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var out C.smon_breach
	a := C.int(0)
	if above {
		a = 1
	}
	if err := statusError(C.smon_forecaster_breach(f.h, C.uint32_t(id), C.double(threshold), a, C.size_t(horizon), &out)); err != nil {
		return Breach{}, err
	}
	return Breach{float64(out.probability), float64(out.expected_steps), int64(out.expected_ms),
		int(out.mean_cross_step), int(out.risk_level), float64(out.business_impact)}, nil
}

// ForecastArray fits values automatically (season 0: detect) and forecasts horizon steps.
func ForecastArray(values []float64, season, horizon int, level float64) (mean, lo, hi []float64, err error) {
	if len(values) == 0 || horizon < 1 {
		return nil, nil, nil, errors.New("spotifymon: ForecastArray needs values and horizon >= 1")
	}
	mean, lo, hi = make([]float64, horizon), make([]float64, horizon), make([]float64, horizon)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	err = statusError(C.smon_forecast_array(nil, (*C.double)(unsafe.Pointer(&values[0])), C.size_t(len(values)),
		C.size_t(season), C.size_t(horizon), C.double(level),
		(*C.double)(unsafe.Pointer(&mean[0])), (*C.double)(unsafe.Pointer(&lo[0])), (*C.double)(unsafe.Pointer(&hi[0]))))
	if err != nil {
		return nil, nil, nil, err
	}
	return mean, lo, hi, nil
}
