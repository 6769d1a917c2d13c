package spotifymon

import (
	"testing"
	"time"
)

func TestClassifier(t *testing.T) {
	c, err := NewClassifier(map[string]string{"classifier.hash_bits": "14"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	r, err := c.Classify(Alert{AlertID: "a1", Timestamp: t0, SourceSystem: "prometheus", MetricName: "pg_replication_lag",
		Message: "Replication lag on postgres-users is 40s", SeverityRaw: "critical", ServiceName: "postgres-users",
		CurrentValue: 40, Threshold: 30, Labels: map[string]string{"team": "data"}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Class != "database" || r.Team != "data" || r.Priority < 1 || r.Priority > 4 || r.Suppressed || r.GroupID < 1 {
		t.Fatalf("unexpected result %+v", r)
	}
	for i := 0; i < 30; i++ {
		if err := c.Learn(Alert{Message: "Widget stalled", ServiceName: "widgets", Timestamp: t0.Add(time.Duration(i) * time.Hour),
			CurrentValue: NaN, Threshold: NaN}, Feedback{TrueClass: "widgetry", ResolvedBy: "widget-team", FalsePositive: 0, Priority: 2,
			TimeToAckS: NaN, TimeToResolveS: NaN}); err != nil {
			t.Fatal(err)
		}
	}
	r, _ = c.Classify(Alert{Message: "Widget stalled", ServiceName: "widgets", Timestamp: t0.Add(100 * time.Hour), CurrentValue: NaN, Threshold: NaN})
	if r.Class != "widgetry" || r.Team != "widget-team" {
		t.Fatalf("learned %+v", r)
	}
	if err := c.Learn(Alert{}, Feedback{Priority: 9}); err == nil {
		t.Fatal("bad priority accepted")
	}
	out, err := c.ClassifyJSON([]byte(`{"version":"4","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"X","service":"checkout"},"annotations":{"summary":"slow"},"startsAt":"2026-11-01T10:00:00Z","fingerprint":"f"}]}`))
	if err != nil || len(out) != 1 {
		t.Fatalf("alertmanager: %v %v", out, err)
	}
	if _, err := c.ClassifyJSON([]byte("{broken")); err == nil {
		t.Fatal("malformed JSON accepted")
	}
	s, err := c.Stats()
	if err != nil || s["classified"].(float64) < 3 {
		t.Fatalf("stats %v %v", s, err)
	}
	c.Close()
	if _, err := c.Classify(Alert{}); err == nil {
		t.Fatal("closed handle accepted")
	}
}

func TestEscalatesASuppressedAlertThatKeepsFiring(t *testing.T) {
	c, err := NewClassifier(map[string]string{"classifier.escalate_persisting_s": "600"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	probe := func(id, fp string, at time.Time, resolved bool) Alert {
		return Alert{AlertID: id, Timestamp: at, MetricName: "probe_success", Message: "Synthetic check failed for web endpoint /health",
			ServiceName: "web", Fingerprint: fp, Resolved: resolved, CurrentValue: NaN, Threshold: NaN}
	}
	for i := 0; i < 40; i++ { // learned as a false positive, an hour apart
		at := t0.Add(time.Duration(i) * time.Hour)
		fp := "p" + string(rune('A'+i))
		if _, err := c.Classify(probe("p", fp, at, false)); err != nil {
			t.Fatal(err)
		}
		if err := c.Learn(probe("p", fp, at, false), Feedback{FalsePositive: 1, TimeToAckS: NaN, TimeToResolveS: NaN}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Classify(probe("r", fp, at.Add(time.Minute), true)); err != nil {
			t.Fatal(err)
		}
	}
	t1 := t0.Add(41 * time.Hour)
	r, _ := c.Classify(probe("stuck", "stuck", t1, false))
	if !r.Suppressed || r.SuppressReason != 2 {
		t.Fatalf("the probe should be suppressed as a likely false positive: %+v", r)
	}
	if e, err := c.PollEscalations(t1.Add(5*time.Minute), 8); err != nil || len(e) != 0 {
		t.Fatalf("due too early: %v %v", e, err)
	}
	e, err := c.PollEscalations(t1.Add(10*time.Minute), 8)
	if err != nil || len(e) != 1 || e[0].Sequence != 80 || e[0].GroupID != r.GroupID || !e[0].Fired.Equal(t1) {
		t.Fatalf("escalation: %+v %v", e, err)
	}
	if e, _ := c.PollEscalations(time.Time{}, 8); len(e) != 0 {
		t.Fatalf("handed out twice: %+v", e)
	}
}
