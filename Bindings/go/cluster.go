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

// Clusterer is an smon_clusterer handle: batch fits, predictions with calibrated anomaly
// scores, and online updates per event. Safe for concurrent use (calls are serialised).
type Clusterer struct{ h *C.smon_clusterer }

// ClusterDetection is the verdict on one event (smon_cluster_detection).
type ClusterDetection struct {
	IsAnomaly           bool
	AnomalyType         int // 0 normal, 1 outlier, 2 emerging cluster, 3 drifted cluster
	AnomalyScore        float64
	BusinessImpactScore float64
	ImpactCategory      int
	Cluster             int
	DriftAlarm          bool
	JSON                string // the verdict with recommended actions
}

// NewClusterer creates a clusterer from clusterer.* (and other) config options (nil: defaults).
func NewClusterer(options map[string]string) (*Clusterer, error) {
	c := &Clusterer{}
	if err := withConfig(options, func(cfg *C.smon_config) C.smon_status { return C.smon_clusterer_new(cfg, &c.h) }); err != nil {
		return nil, err
	}
	runtime.SetFinalizer(c, (*Clusterer).Close)
	return c, nil
}

// Close frees the handle; later calls return an error.
func (c *Clusterer) Close() {
	if c.h != nil {
		C.smon_clusterer_free(c.h)
		c.h = nil
	}
}

func matrixPtr(x []float64, n, d int) (*C.double, error) {
	if n <= 0 || d <= 0 || len(x) < n*d || n*d/d != n {
		return nil, errors.New("spotifymon: x must hold n*d values with n, d > 0")
	}
	return (*C.double)(unsafe.Pointer(&x[0])), nil
}

// Fit fits the configured algorithm on x (n rows of d values, row-major).
func (c *Clusterer) Fit(x []float64, n, d int) error {
	p, err := matrixPtr(x, n, d)
	if err != nil {
		return err
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return statusError(C.smon_clusterer_fit(c.h, p, C.size_t(n), C.size_t(d)))
}

// Predict returns the labels (-1: noise) and calibrated anomaly scores of x.
func (c *Clusterer) Predict(x []float64, n, d int) ([]int32, []float64, error) {
	p, err := matrixPtr(x, n, d)
	if err != nil {
		return nil, nil, err
	}
	labels, scores := make([]int32, n), make([]float64, n)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	err = statusError(C.smon_clusterer_predict(c.h, p, C.size_t(n), C.size_t(d),
		(*C.int32_t)(unsafe.Pointer(&labels[0])), (*C.double)(unsafe.Pointer(&scores[0]))))
	return labels, scores, err
}

// Update learns x online, one event per row; returns labels, scores and anomaly types.
func (c *Clusterer) Update(x []float64, n, d int) ([]int32, []float64, []int32, error) {
	p, err := matrixPtr(x, n, d)
	if err != nil {
		return nil, nil, nil, err
	}
	labels, scores, types := make([]int32, n), make([]float64, n), make([]int32, n)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	err = statusError(C.smon_clusterer_update(c.h, p, C.size_t(n), C.size_t(d),
		(*C.int32_t)(unsafe.Pointer(&labels[0])), (*C.double)(unsafe.Pointer(&scores[0])),
		(*C.int32_t)(unsafe.Pointer(&types[0]))))
	return labels, scores, types, err
}

// Detect judges one event of a service at tsMs (learned online), with business weighting.
func (c *Clusterer) Detect(features []float64, service string, tsMs int64) (ClusterDetection, error) {
	var out ClusterDetection
	p, err := matrixPtr(features, 1, len(features))
	if err != nil {
		return out, err
	}
	var svc *C.char
	if service != "" {
		svc = C.CString(service)
		defer C.free(unsafe.Pointer(svc))
	}
	var det C.smon_cluster_detection
	var js *C.char
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := statusError(C.smon_clusterer_detect(c.h, p, C.size_t(len(features)), svc, C.int64_t(tsMs), &det, &js)); err != nil {
		return out, err
	}
	out = ClusterDetection{IsAnomaly: det.is_anomaly != 0, AnomalyType: int(det.anomaly_type),
		AnomalyScore: float64(det.anomaly_score), BusinessImpactScore: float64(det.business_impact_score),
		ImpactCategory: int(det.impact_category), Cluster: int(det.cluster), DriftAlarm: det.drift_alarm != 0,
		JSON: takeString(js)}
	return out, nil
}

// Labels returns the labels of the last fit.
func (c *Clusterer) Labels() ([]int32, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var n C.size_t
	if err := statusError(C.smon_clusterer_labels(c.h, nil, 0, &n)); err != nil {
		return nil, err
	}
	out := make([]int32, int(n)+1)
	err := statusError(C.smon_clusterer_labels(c.h, (*C.int32_t)(unsafe.Pointer(&out[0])), C.size_t(len(out)), &n))
	return out[:int(n)], err
}

// Centroids returns the cluster centres (k rows of d values) in input space.
func (c *Clusterer) Centroids() ([]float64, int, int, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var k, d C.size_t
	if err := statusError(C.smon_clusterer_centroids(c.h, nil, 0, &k, &d)); err != nil {
		return nil, 0, 0, err
	}
	out := make([]float64, int(k)*int(d)+1)
	err := statusError(C.smon_clusterer_centroids(c.h, (*C.double)(unsafe.Pointer(&out[0])), C.size_t(len(out)), &k, &d))
	return out[:int(k)*int(d)], int(k), int(d), err
}

// Silhouette returns the mean silhouette of the last fit (NaN if undefined).
func (c *Clusterer) Silhouette() (float64, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var m C.smon_cluster_metrics
	err := statusError(C.smon_clusterer_metrics(c.h, &m))
	return float64(m.silhouette), err
}
