package spotifymon

import (
	"math"
	"testing"
)

func TestClustererFitPredictDetect(t *testing.T) {
	const n, d = 300, 2
	x := make([]float64, n*d)
	for i := 0; i < n; i++ {
		c := float64(i % 3)
		x[i*d] = c*10 + math.Sin(float64(i))*0.5
		x[i*d+1] = -c*10 + math.Cos(float64(i)*1.3)*0.5
	}
	c, err := NewClusterer(map[string]string{"clusterer.algorithm": "kmeans", "clusterer.k": "3"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Fit(x, n, d); err != nil {
		t.Fatal(err)
	}
	labels, scores, err := c.Predict(x, n, d)
	if err != nil || len(labels) != n || len(scores) != n {
		t.Fatalf("predict: %v", err)
	}
	for i := 3; i < n; i++ {
		if labels[i] != labels[i%3] {
			t.Fatalf("point %d in cluster %d, expected %d", i, labels[i], labels[i%3])
		}
	}
	if s, _ := c.Silhouette(); s < 0.9 {
		t.Fatalf("silhouette %v", s)
	}
	if _, k, dd, err := c.Centroids(); err != nil || k != 3 || dd != d {
		t.Fatalf("centroids %d x %d: %v", k, dd, err)
	}
	det, err := c.Detect([]float64{500, 500}, "checkout", 0)
	if err != nil || !det.IsAnomaly || det.AnomalyType != 1 || det.JSON == "" {
		t.Fatalf("detect: %+v %v", det, err)
	}
	if _, _, _, err := c.Update(x, n, d); err != nil {
		t.Fatal(err)
	}
	// Bad input: NaN, wrong sizes, n < k, closed handle.
	if err := c.Fit([]float64{1, math.NaN()}, 1, 2); err == nil {
		t.Fatal("NaN accepted")
	}
	if err := c.Fit(x, n, 0); err == nil {
		t.Fatal("d = 0 accepted")
	}
	if err := c.Fit(x[:4], 2, 2); err == nil {
		t.Fatal("n < k accepted")
	}
	if _, err := NewClusterer(map[string]string{"clusterer.algorithm": "nope"}); err == nil {
		t.Fatal("bad algorithm accepted")
	}
	c.Close()
	if err := c.Fit(x, n, d); err == nil {
		t.Fatal("closed handle accepted")
	}
}
