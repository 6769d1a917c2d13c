package spotifymon

import (
	"errors"
	"math"
	"testing"
)

func TestForecasterStreamsForecastsAndRejectsBadInput(t *testing.T) {
	f, err := NewForecaster(map[string]string{"forecaster.ensemble_size": "3"})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	id, err := f.Series(`disk_used{service="storage"}`)
	if err != nil {
		t.Fatal(err)
	}
	const hour = int64(3600000)
	n := 300
	ids, ts, vals := make([]uint32, n), make([]int64, n), make([]float64, n)
	for i := 0; i < n; i++ {
		ids[i], ts[i] = id, int64(i)*hour
		vals[i] = 100 + 0.2*float64(i) + 5*math.Sin(2*math.Pi*float64(i%24)/24)
	}
	if err := f.ObserveBatch(ids, ts, vals); err != nil {
		t.Fatal(err)
	}
	mean, lo, hi, err := f.Forecast(id, 24, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	for s := range mean {
		if !(lo[s] <= mean[s] && mean[s] <= hi[s]) || math.IsNaN(mean[s]) {
			t.Fatalf("step %d: %v %v %v", s, lo[s], mean[s], hi[s])
		}
	}
	b, err := f.Breach(id, 165, true, 48)
	if err != nil || b.Probability < 0.5 || b.ExpectedMs <= 0 {
		t.Fatalf("breach %+v %v", b, err)
	}
	var e *Error
	if err := f.Observe(id, 0, 1); !errors.As(err, &e) || e.Status != 1 {
		t.Fatalf("old timestamp: %v", err)
	}
	if err := f.Observe(id, int64(n)*hour, math.NaN()); !errors.As(err, &e) || e.Status != 1 {
		t.Fatalf("NaN: %v", err)
	}
	if _, _, _, err := f.Forecast(999, 5, 0.95); !errors.As(err, &e) || e.Status != 5 {
		t.Fatalf("unknown id: %v", err)
	}
	if _, _, _, err := f.Forecast(id, 5, 2); !errors.As(err, &e) || e.Status != 1 {
		t.Fatalf("bad level: %v", err)
	}
	m, _, _, err := ForecastArray(vals, 24, 48, 0.9)
	if err != nil || len(m) != 48 {
		t.Fatalf("one-shot: %v", err)
	}
}
