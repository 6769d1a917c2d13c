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
