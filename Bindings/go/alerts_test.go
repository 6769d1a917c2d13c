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
