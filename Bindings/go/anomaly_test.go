package spotifymon

import (
	"math"
	"strings"
	"testing"
)

func TestDetectorEndToEnd(t *testing.T) {
	d, err := NewDetector(map[string]string{"detector.warmup": "50"})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	id, err := d.Series(`latency_ms{service="api"}`)
	if err != nil {
		t.Fatal(err)
	}
	n := 600
	ids, ts, vals := make([]uint32, n), make([]int64, n), make([]float64, n)
	for i := 0; i < n; i++ {
		ids[i], ts[i] = id, int64(i)*1000
		vals[i] = 100 + 10*math.Sin(float64(i)/8) + float64(i%5)
		if i >= 550 && i < 556 {
			vals[i] += 200
		}
	}
	res, err := d.ObserveBatch(ids, ts, vals)
	if err != nil {
		t.Fatal(err)
	}
	hit := false
	for _, r := range res[550:560] {
		hit = hit || r.IsAnomaly
	}
	if !hit {
		t.Fatal("injected spike not flagged")
	}
	ex, err := d.Explain(id)
	if err != nil || !strings.Contains(ex, "recommended_actions") {
		t.Fatalf("explain: %v %s", err, ex)
	}
	snap, err := d.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	d2, _ := NewDetector(map[string]string{"detector.warmup": "50"})
	defer d2.Close()
	if err := d2.Restore(snap); err != nil {
		t.Fatal(err)
	}
	a, _ := d.Observe(id, 1e6, 120)
	b, _ := d2.Observe(id, 1e6, 120)
	if a != b {
		t.Fatalf("restored detector differs: %+v vs %+v", a, b)
	}
	if _, err := d.Observe(id, 0, math.NaN()); err == nil {
		t.Fatal("NaN accepted")
	}
	if _, err := d.Observe(9999, 0, 1); err == nil {
		t.Fatal("unknown id accepted")
	}
	if _, err := NewDetector(map[string]string{"detector.members": "nope"}); err == nil {
		t.Fatal("bad config accepted")
	}
}

func TestDetectorOnAnomalyPushesNotableResults(t *testing.T) {
	d, err := NewDetector(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	id, _ := d.Series(`cpu_utilization{host="a"}`)
	var pushed []Anomaly
	if err := d.OnAnomaly(func(a Anomaly) { pushed = append(pushed, a) }); err != nil {
		t.Fatal(err)
	}
	n := 3000
	ids, ts, vals := make([]uint32, n), make([]int64, n), make([]float64, n)
	for i := range ids {
		ids[i], ts[i] = id, 1_700_000_000_000+int64(i)*60_000
		vals[i] = 40 + 3*math.Sin(float64(i)/50) + float64(i%7)*0.2
		if i >= 2500 && i < 2505 {
			vals[i] += 60
		}
	}
	res, err := d.ObserveBatch(ids, ts, vals)
	if err != nil {
		t.Fatal(err)
	}
	var notable []Anomaly
	for _, r := range res {
		if r.IsAnomaly || r.Drift != 0 {
			notable = append(notable, r)
		}
	}
	if len(notable) == 0 || len(pushed) != len(notable) {
		t.Fatalf("pushed %d, notable %d", len(pushed), len(notable))
	}
	for i := range notable {
		if pushed[i] != notable[i] {
			t.Fatalf("event %d differs: %+v vs %+v", i, pushed[i], notable[i])
		}
	}
	if err := d.OnAnomaly(nil); err != nil {
		t.Fatal(err)
	}
	before := len(pushed)
	if _, err := d.Observe(id, 1_700_000_000_000+int64(n)*60_000, 900); err != nil {
		t.Fatal(err)
	}
	if len(pushed) != before {
		t.Fatal("callback still called after OnAnomaly(nil)")
	}
	d.Close()
	if err := d.OnAnomaly(func(Anomaly) {}); err == nil {
		t.Fatal("OnAnomaly on a closed detector succeeded")
	}
}
