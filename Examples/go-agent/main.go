// go-agent: a small monitoring agent written in Go that embeds spotifymon through its cgo
// binding. Every interval it samples this host's load, memory and CPU figures from /proc
// (or, with -simulate, a generated fleet of services with one incident in it), scores
// every sample with one in-process detector, forecasts each series with one forecaster,
// and prints the anomalies and the capacity risks it finds. Its state is snapshotted to
// -state on exit and restored at start, so a restart keeps what normal looks like.
//
//	go run . -interval 10s -state agent.snap        # this host, until SIGINT/SIGTERM
//	go run . -simulate 2000                         # generated data, then a summary
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math"
	"math/rand"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	smon "spotifymon.dev/spotifymon"
)

// Agent holds the two engines and the series ids of the keys it has seen.
type Agent struct {
	det *smon.Detector
	fc  *smon.Forecaster
	ids map[string][2]uint32 // key -> (detector id, forecaster id)
}

// NewAgent creates the engines (restoring the detector from state if the file exists).
func NewAgent(state string) (*Agent, error) {
	det, err := smon.NewDetector(map[string]string{"context.peak_hours": "18-22"})
	if err != nil {
		return nil, err
	}
	fc, err := smon.NewForecaster(nil)
	if err != nil {
		det.Close()
		return nil, err
	}
	a := &Agent{det: det, fc: fc, ids: map[string][2]uint32{}}
	if state != "" {
		if b, err := os.ReadFile(state); err == nil {
			if err := det.Restore(b); err != nil {
				fmt.Fprintf(os.Stderr, "go-agent: state %s ignored: %v\n", state, err)
			}
		}
	}
	return a, nil
}

// Close releases the engines.
func (a *Agent) Close() { a.det.Close(); a.fc.Close() }

// Sample is one measurement of one series.
type Sample struct {
	Key   string
	Value float64
}

// Finding is one anomalous point.
type Finding struct {
	Key      string
	TsMs     int64
	Value    float64
	Score    float64
	Severity int
}

// Observe scores one round of samples taken at tsMs in one batch call and feeds the
// forecaster; it returns the anomalies of the round.
func (a *Agent) Observe(tsMs int64, samples []Sample) ([]Finding, error) {
	ids := make([]uint32, 0, len(samples))
	fids := make([]uint32, 0, len(samples))
	ts := make([]int64, 0, len(samples))
	vals := make([]float64, 0, len(samples))
	keys := make([]string, 0, len(samples))
	for _, s := range samples {
		if math.IsNaN(s.Value) || math.IsInf(s.Value, 0) {
			continue
		}
		pair, ok := a.ids[s.Key]
		if !ok {
			d, err := a.det.Series(s.Key)
			if err != nil {
				return nil, err
			}
			f, err := a.fc.Series(s.Key)
			if err != nil {
				return nil, err
			}
			pair = [2]uint32{d, f}
			a.ids[s.Key] = pair
		}
		ids, fids, ts, vals, keys = append(ids, pair[0]), append(fids, pair[1]), append(ts, tsMs), append(vals, s.Value), append(keys, s.Key)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	res, err := a.det.ObserveBatch(ids, ts, vals)
	if err != nil {
		return nil, err
	}
	if err := a.fc.ObserveBatch(fids, ts, vals); err != nil {
		return nil, err
	}
	var out []Finding
	for i, r := range res {
		if r.IsAnomaly {
			out = append(out, Finding{keys[i], tsMs, vals[i], r.Score, r.Severity})
		}
	}
	return out, nil
}

// Risk is the probability that key crosses threshold upward within horizon steps.
func (a *Agent) Risk(key string, threshold float64, horizon int) (smon.Breach, error) {
	pair, ok := a.ids[key]
	if !ok {
		return smon.Breach{}, fmt.Errorf("unknown series %q", key)
	}
	return a.fc.Breach(pair[1], threshold, true, horizon)
}

// Save writes the detector snapshot to path atomically.
func (a *Agent) Save(path string) error {
	b, err := a.det.Snapshot()
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// hostSamples reads this host's load average, available-memory ratio and CPU time counters.
func hostSamples() []Sample {
	var out []Sample
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) > 0 {
			if v, err := strconv.ParseFloat(f[0], 64); err == nil {
				out = append(out, Sample{"node_load1", v})
			}
		}
	}
	if f, err := os.Open("/proc/meminfo"); err == nil {
		mem := map[string]float64{}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			parts := strings.Fields(sc.Text())
			if len(parts) >= 2 {
				v, _ := strconv.ParseFloat(parts[1], 64)
				mem[strings.TrimSuffix(parts[0], ":")] = v
			}
		}
		f.Close()
		if mem["MemTotal"] > 0 {
			out = append(out, Sample{"node_memory_used_ratio", 1 - mem["MemAvailable"]/mem["MemTotal"]})
		}
	}
	return out
}

// Simulated is a generated fleet: per service a latency, an error rate and a disk usage that
// fills up; one service has a latency incident at two thirds of the run.
type Simulated struct {
	rng      *rand.Rand
	services []string
	steps    int
}

// Round returns the samples of step i.
func (s *Simulated) Round(i int) []Sample {
	var out []Sample
	for k, svc := range s.services {
		day := math.Sin(2 * math.Pi * float64(i%288) / 288)
		lat := 120 + 20*day + s.rng.NormFloat64()*4
		if k == 0 && i >= 2*s.steps/3 && i < 2*s.steps/3+8 {
			lat += 600 // the incident
		}
		out = append(out,
			Sample{fmt.Sprintf(`http_latency_ms{service=%q}`, svc), lat},
			Sample{fmt.Sprintf(`http_error_rate{service=%q}`, svc), math.Abs(0.01 + 0.002*s.rng.NormFloat64())},
			Sample{fmt.Sprintf(`disk_used_ratio{service=%q}`, svc), 0.5 + 0.45*float64(i)/float64(s.steps) + 0.002*s.rng.NormFloat64()})
	}
	return out
}

// RunSimulation streams steps rounds (5-minute steps) of the generated fleet through the agent.
func RunSimulation(a *Agent, steps int) (findings []Finding, incidentFound bool, err error) {
	sim := &Simulated{rng: rand.New(rand.NewSource(7)), services: []string{"checkout", "search", "playback", "auth"}, steps: steps}
	t0 := int64(1_700_000_000_000)
	for i := 0; i < steps; i++ {
		f, err := a.Observe(t0+int64(i)*300_000, sim.Round(i))
		if err != nil {
			return nil, false, err
		}
		findings = append(findings, f...)
		for _, x := range f {
			if x.Key == `http_latency_ms{service="checkout"}` && i >= 2*steps/3 && i < 2*steps/3+8 {
				incidentFound = true
			}
		}
	}
	return findings, incidentFound, nil
}

func main() {
	interval := flag.Duration("interval", 15*time.Second, "time between samples of this host")
	state := flag.String("state", "", "detector snapshot: restored at start, written at exit")
	simulate := flag.Int("simulate", 0, "stream this many rounds of generated data instead of this host's, then exit")
	flag.Parse()
	fmt.Printf("go-agent: spotifymon %s\n", smon.Version())
	a, err := NewAgent(*state)
	if err != nil {
		fmt.Fprintln(os.Stderr, "go-agent:", err)
		os.Exit(1)
	}
	defer a.Close()
	if *simulate > 0 {
		findings, found, err := RunSimulation(a, *simulate)
		if err != nil {
			fmt.Fprintln(os.Stderr, "go-agent:", err)
			os.Exit(1)
		}
		risk, err := a.Risk(`disk_used_ratio{service="checkout"}`, 0.98, 288)
		if err != nil {
			fmt.Fprintln(os.Stderr, "go-agent:", err)
			os.Exit(1)
		}
		fmt.Printf("SUMMARY rounds=%d anomalies=%d incident_found=%v disk_full_24h_probability=%.2f risk_level=%d\n",
			*simulate, len(findings), found, risk.Probability, risk.RiskLevel)
		return
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	tick := time.NewTicker(*interval)
	defer tick.Stop()
	for {
		findings, err := a.Observe(time.Now().UnixMilli(), hostSamples())
		if err != nil {
			fmt.Fprintln(os.Stderr, "go-agent:", err)
		}
		for _, f := range findings {
			fmt.Printf("anomaly %s value=%.4g score=%.2f severity=%d\n", f.Key, f.Value, f.Score, f.Severity)
		}
		select {
		case <-stop:
			if *state != "" {
				if err := a.Save(*state); err != nil {
					fmt.Fprintln(os.Stderr, "go-agent:", err)
				}
			}
			return
		case <-tick.C:
		}
	}
}
