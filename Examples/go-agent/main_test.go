package main

import (
	"path/filepath"
	"testing"
)

// The generated incident is found, quiet services stay quiet, a filling disk is a risk, and a
// restart from the snapshot continues where the agent left off.
func TestSimulationFindsIncidentAndRisk(t *testing.T) {
	a, err := NewAgent("")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	steps := 1500
	findings, found, err := RunSimulation(a, steps)
	if err != nil {
		t.Fatal(err)
	}
	if !found {
		t.Fatal("the latency incident of checkout was not flagged")
	}
	points := steps * 12
	if len(findings) > points/50 {
		t.Fatalf("%d anomalies in %d points: too noisy", len(findings), points)
	}
	risk, err := a.Risk(`disk_used_ratio{service="checkout"}`, 0.98, 288)
	if err != nil {
		t.Fatal(err)
	}
	if risk.Probability < 0.5 || risk.RiskLevel < 2 {
		t.Fatalf("a disk filling to 95%% should be at risk of 98%% within a day: %+v", risk)
	}
	calm, err := a.Risk(`http_error_rate{service="search"}`, 0.5, 288)
	if err != nil || calm.Probability > 0.05 {
		t.Fatalf("a steady 1%% error rate should not reach 50%%: %+v %v", calm, err)
	}

	state := filepath.Join(t.TempDir(), "agent.snap")
	if err := a.Save(state); err != nil {
		t.Fatal(err)
	}
	b, err := NewAgent(state)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	b.ids = a.ids // the same keys map to the same ids in a restored detector
	key, ts := `http_latency_ms{service="checkout"}`, 1_700_000_000_000+int64(steps)*300_000
	ra, err := a.det.Observe(a.ids[key][0], ts, 900)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := b.det.Observe(b.ids[key][0], ts, 900)
	if err != nil {
		t.Fatal(err)
	}
	if ra != rb {
		t.Fatalf("restored agent differs: %+v vs %+v", ra, rb)
	}
	if _, err := a.Observe(0, []Sample{{"bad key {", 1}}); err == nil {
		t.Fatal("a malformed series key was accepted")
	}
}
