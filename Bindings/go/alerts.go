package spotifymon

/*
#include <stdlib.h>
#include "spotifymon.h"
*/
import "C"

import (
	"encoding/json"
	"math"
	"runtime"
	"sort"
	"strings"
	"time"
	"unsafe"
)

// Alert is one alert (the seed's AlertFeatures fields plus service, labels, fingerprint, status).
// Zero strings mean "missing"; NaN values "unknown".
type Alert struct {
	AlertID, SourceSystem, MetricName, Message, SeverityRaw, ServiceName, Fingerprint string
	Timestamp                                                                         time.Time
	CurrentValue, Threshold                                                           float64
	Labels                                                                            map[string]string
	Resolved                                                                          bool
}

// Feedback is what was learned about an alert afterwards (empty / -1 / 0 / NaN: unknown).
type Feedback struct {
	TrueClass, ResolvedBy      string
	FalsePositive              int // 1 yes, 0 no, -1 unknown
	Priority                   int // 1..4, 0 unknown
	TimeToAckS, TimeToResolveS float64
}

// AlertResult holds the classifier's decisions about one alert.
type AlertResult struct {
	Class, Team                       string
	Priority                          int
	PriorityScore, Confidence, FPProb float64
	GroupID                           uint64
	NewGroup, Suppressed, SLAAtRisk   bool
	SuppressReason                    int
	AckDeadline, ResolveDeadline      time.Time
	EscalationAfterMinutes            []float64
}

// Classifier is an alert classifier handle. Safe for use from several goroutines (calls are
// serialised by the library); one per goroutine is fastest.
type Classifier struct{ h *C.smon_classifier }

// NewClassifier creates a classifier from options (nil: defaults).
func NewClassifier(options map[string]string) (*Classifier, error) {
	c := &Classifier{}
	if err := withConfig(options, func(cfg *C.smon_config) C.smon_status { return C.smon_classifier_new(cfg, &c.h) }); err != nil {
		return nil, err
	}
	return c, nil
}

// Close frees the classifier.
func (c *Classifier) Close() {
	if c.h != nil {
		C.smon_classifier_free(c.h)
		c.h = nil
	}
}

type cAlert struct {
	a    C.smon_alert
	bufs []*C.char
}

func cstr(s string, bufs *[]*C.char) *C.char {
	if s == "" {
		return nil
	}
	p := C.CString(s)
	*bufs = append(*bufs, p)
	return p
}

func (x *cAlert) free() {
	for _, p := range x.bufs {
		C.free(unsafe.Pointer(p))
	}
}

func toC(a Alert) *cAlert {
	x := &cAlert{}
	keys := make([]string, 0, len(a.Labels))
	for k := range a.Labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, strings.NewReplacer(",", " ", "=", " ").Replace(k)+"="+strings.ReplaceAll(a.Labels[k], ",", " "))
	}
	x.a.alert_id = cstr(a.AlertID, &x.bufs)
	if !a.Timestamp.IsZero() {
		x.a.timestamp_ms = C.int64_t(a.Timestamp.UnixMilli())
	}
	x.a.source_system = cstr(a.SourceSystem, &x.bufs)
	x.a.metric_name = cstr(a.MetricName, &x.bufs)
	x.a.alert_message = cstr(a.Message, &x.bufs)
	x.a.severity_raw = cstr(a.SeverityRaw, &x.bufs)
	x.a.service_name = cstr(a.ServiceName, &x.bufs)
	x.a.labels = cstr(strings.Join(parts, ","), &x.bufs)
	x.a.fingerprint = cstr(a.Fingerprint, &x.bufs)
	x.a.current_value = C.double(a.CurrentValue)
	x.a.threshold_violated = C.double(a.Threshold)
	if a.Resolved {
		x.a.resolved = 1
	}
	return x
}

func (c *Classifier) name(kind int, index C.int32_t) string {
	buf := (*C.char)(C.malloc(256))
	defer C.free(unsafe.Pointer(buf))
	if C.smon_classifier_label_name(c.h, C.int(kind), index, buf, 256) != C.SMON_OK {
		return ""
	}
	return C.GoString(buf)
}

// Classify classifies one alert.
func (c *Classifier) Classify(a Alert) (AlertResult, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	x := toC(a)
	defer x.free()
	var r C.smon_alert_result
	if err := statusError(C.smon_classifier_classify(c.h, &x.a, &r)); err != nil {
		return AlertResult{}, err
	}
	levels := int(r.escalation_levels)
	esc := []float64{float64(r.escalation_after_min[0]), float64(r.escalation_after_min[1]), float64(r.escalation_after_min[2])}
	if levels < 3 {
		esc = esc[:levels]
	}
	return AlertResult{
		Class: c.name(0, r.alert_class), Team: c.name(1, r.team), Priority: int(r.priority),
		PriorityScore: float64(r.priority_score), Confidence: float64(r.confidence), FPProb: float64(r.false_positive_probability),
		GroupID: uint64(r.group_id), NewGroup: r.new_group != 0, Suppressed: r.suppressed != 0, SLAAtRisk: r.sla_at_risk != 0,
		SuppressReason: int(r.suppress_reason), AckDeadline: time.UnixMilli(int64(r.ack_deadline_ms)),
		ResolveDeadline: time.UnixMilli(int64(r.resolve_deadline_ms)), EscalationAfterMinutes: esc,
	}, nil
}

// Learn learns from feedback about an alert.
func (c *Classifier) Learn(a Alert, f Feedback) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	x := toC(a)
	defer x.free()
	var fb C.smon_alert_feedback
	fb.true_class = cstr(f.TrueClass, &x.bufs)
	fb.resolved_by = cstr(f.ResolvedBy, &x.bufs)
	fb.false_positive = C.int32_t(f.FalsePositive)
	fb.priority = C.int32_t(f.Priority)
	fb.time_to_ack_s = C.double(f.TimeToAckS)
	fb.time_to_resolve_s = C.double(f.TimeToResolveS)
	return statusError(C.smon_classifier_learn(c.h, &x.a, &fb))
}

// ClassifyJSON classifies an AlertFeatures JSON object / array or an Alertmanager webhook
// payload (version 4) and returns the result objects. Window lines of the smon classify
// format ({"type": "deployment"|"maintenance", ...}) are announced and yield no result.
func (c *Classifier) ClassifyJSON(payload []byte) ([]map[string]any, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cs := C.CString(string(payload))
	defer C.free(unsafe.Pointer(cs))
	var out *C.char
	if err := statusError(C.smon_classifier_classify_json(c.h, cs, &out)); err != nil {
		return nil, err
	}
	defer C.smon_free(unsafe.Pointer(out))
	var res []map[string]any
	err := json.Unmarshal([]byte(C.GoString(out)), &res)
	return res, err
}

// Escalation is a suppressed alert that kept firing: page for it now.
type Escalation struct {
	Sequence, GroupID uint64 // Sequence: how many alerts the classifier had classified before it
	Fired, Due        time.Time
	SuppressReason    int // SMON_SUPPRESS_* it had been suppressed for
	Priority          int
	Class, Team       string
}

// PollEscalations returns the alerts suppressed while their group had paged for nothing
// (likely false positive, flapping, deployment window) that are still firing,
// unresolved, classifier.escalate_persisting_s after they fired, and those folded as duplicates
// into a group that paged, still firing classifier.escalate_outlived_s after every alert the
// group paged for resolved (SuppressReason duplicate); due by now (zero time: the newest alert
// time seen), at most max, in due order. Each is returned once.
func (c *Classifier) PollEscalations(now time.Time, max int) ([]Escalation, error) {
	if max <= 0 {
		return nil, nil
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	buf := make([]C.smon_alert_escalation, max)
	var n C.size_t
	var ms C.int64_t
	if !now.IsZero() {
		ms = C.int64_t(now.UnixMilli())
	}
	if err := statusError(C.smon_classifier_poll_escalations(c.h, ms, &buf[0], C.size_t(max), &n)); err != nil {
		return nil, err
	}
	out := make([]Escalation, int(n))
	for i := range out {
		e := buf[i]
		out[i] = Escalation{Sequence: uint64(e.sequence), GroupID: uint64(e.group_id), Fired: time.UnixMilli(int64(e.fired_ms)),
			Due: time.UnixMilli(int64(e.due_ms)), SuppressReason: int(e.suppress_reason), Priority: int(e.priority),
			Class: c.name(0, e.alert_class), Team: c.name(1, e.team)}
	}
	return out, nil
}

// Stats returns the classifier's counters (suppression, groups, SLA) as decoded JSON.
func (c *Classifier) Stats() (map[string]any, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var out *C.char
	if err := statusError(C.smon_classifier_stats(c.h, &out)); err != nil {
		return nil, err
	}
	defer C.smon_free(unsafe.Pointer(out))
	var res map[string]any
	err := json.Unmarshal([]byte(C.GoString(out)), &res)
	return res, err
}

// NaN is a convenience for unknown values.
var NaN = math.NaN()
