package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/proeftuin/proeftuin/bench/internal/topo"
)

// Stat summarises samples.
type Stat struct {
	Median  float64   `json:"median"`
	Min     float64   `json:"min"`
	Max     float64   `json:"max"`
	Samples []float64 `json:"samples"`
}

func stat(xs []float64) Stat {
	if len(xs) == 0 {
		return Stat{}
	}
	s := slices.Clone(xs)
	sort.Float64s(s)
	med := s[len(s)/2]
	if len(s)%2 == 0 {
		med = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return Stat{Median: med, Min: s[0], Max: s[len(s)-1], Samples: xs}
}

func (s Stat) String() string {
	if len(s.Samples) == 0 {
		return "-"
	}
	return fmt.Sprintf("%s (%s–%s)", num(s.Median), num(s.Min), num(s.Max))
}

func num(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// ToolResult holds one tool's figures for one topology. Times in ms,
// memory in MB.
type ToolResult struct {
	UpMS    Stat `json:"up_ms"`
	ReupMS  Stat `json:"unchanged_up_ms"`
	DownMS  Stat `json:"down_ms"`
	RSSMB   Stat `json:"peak_rss_mb"` // the largest of up, unchanged up and down in each run
	UpCPUMS Stat `json:"up_cpu_ms"`   // user+sys of the up process
	PlanMS  Stat `json:"plan_ms,omitempty"`

	up, reup, down, rss, cpu, plan []float64
	planPending                    []float64
}

// Chain holds the per-hop figures of a dependency chain, from
// proeftuin's progress events.
type Chain struct {
	// ReadinessPerHopMS: from a service's container being started to
	// its dependent's creation beginning: the probe noticing the port
	// answers plus the scheduling gap; what readiness adds per hop.
	ReadinessPerHopMS Stat `json:"readiness_per_hop_ms"`
	// ReadyToDependentStartedMS: from "ready" to the dependent's
	// "started" (its create and start included).
	ReadyToDependentStartedMS Stat `json:"ready_to_dependent_started_ms"`
	// ProbeMS: from "started" to "ready" of each service.
	ProbeMS Stat `json:"probe_ms"`

	readiness, gap, probe []float64
}

// Plan holds plan20's per-step figures.
type Plan struct {
	Steps int `json:"steps"`
	// RunPerStepMS: proeftuin run's wall time / steps (the environment
	// is up; run observes it, keeps it, runs the steps, writes result.json).
	RunPerStepMS Stat `json:"run_per_step_ms"`
	// RawPerStepMS: the floor's two exec round trips (action, check).
	RawPerStepMS Stat `json:"raw_exec_per_step_ms"`
	// OverheadPerStepMS: (run − unchanged up) / steps − raw, per run.
	OverheadPerStepMS Stat `json:"overhead_per_step_ms"`

	run, raw, overhead []float64
}

type result struct {
	Date     string                 `json:"date"`
	Topology *topo.Topology         `json:"topology"`
	Runs     int                    `json:"runs"`
	Machine  Machine                `json:"machine"`
	LoadEnd  string                 `json:"loadavg_after"`
	Tools    map[string]*ToolResult `json:"tools"`
	Chain    *Chain                 `json:"chain,omitempty"`
	Plan     *Plan                  `json:"plan,omitempty"`
	Ratios   map[string]float64     `json:"ratios"`
	Order    []string               `json:"order"`
	Notes    []string               `json:"notes"`
	Failures []string               `json:"failures,omitempty"`
}

func (r *result) save(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	p := filepath.Join(dir, r.Date+"-"+r.Topology.Name+".json")
	fmt.Printf("%s: wrote %s\n", r.Topology.Name, p)
	return os.WriteFile(p, append(b, '\n'), 0o644)
}

// tool is one way to bring a topology up and down.
type tool struct {
	name           string
	up, reup, down func() (measured, error)
	plan           func() (measured, error) // nil: not measured
	cleanup        func()
	afterUp        func(m measured) error // e.g. parse events
}

func (c *config) bench(t *topo.Topology, m Machine) (*result, error) {
	dir := filepath.Join(c.work, t.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	for name, data := range map[string][]byte{
		"environment.hcl":    []byte(t.HCL()),
		"docker-compose.yml": []byte(t.Compose()),
		"spec.json":          t.JSON(),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return nil, err
		}
	}
	cli, err := client.New(client.FromEnv)
	if err != nil {
		return nil, err
	}
	defer cli.Close()
	if _, err := cli.Ping(context.Background(), client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		return nil, err
	}

	res := &result{Date: time.Now().Format("2006-01-02"), Topology: t, Runs: c.runs, Machine: m,
		Tools: map[string]*ToolResult{}, Ratios: map[string]float64{}}
	if t.Last() != "" {
		res.Chain = &Chain{}
	}
	if t.PlanSteps > 0 {
		res.Plan = &Plan{Steps: t.PlanSteps}
	}

	var tools []*tool
	for _, name := range c.tools {
		switch name {
		case "proeftuin":
			tools = append(tools, c.proeftuinTool(t, dir, res))
		case "floor":
			tools = append(tools, c.floorTool(t, dir, res))
		case "compose":
			tools = append(tools, c.composeTool(t, dir, cli))
		default:
			return nil, fmt.Errorf("unknown tool %q", name)
		}
		res.Tools[name] = &ToolResult{}
	}
	for _, tl := range tools {
		tl.cleanup()
	}
	defer func() {
		for _, tl := range tools {
			tl.cleanup()
		}
	}()

	for i := 0; i < c.runs; i++ {
		for _, tl := range tools {
			tr := res.Tools[tl.name]
			res.Order = append(res.Order, tl.name)
			var up, reup, plan, down measured
			// One failed command (the engine is shared and busy) costs
			// its run's sample, not the benchmark.
			err := func() error {
				var err error
				up, err = tl.up()
				if err != nil {
					return err
				}
				if tl.afterUp != nil {
					if err := tl.afterUp(up); err != nil {
						return err
					}
				}
				reup, err = tl.reup()
				if err != nil {
					return err
				}
				if tl.plan != nil {
					if plan, err = tl.plan(); err != nil {
						return err
					}
					if tl.name == "floor" {
						var out struct {
							PerStep int64 `json:"per_step_ns"`
						}
						if err := json.Unmarshal(plan.Stdout, &out); err != nil {
							return fmt.Errorf("floor exec output: %w", err)
						}
						res.Plan.raw = append(res.Plan.raw, ms(time.Duration(out.PerStep)))
					} else {
						tr.plan = append(tr.plan, ms(plan.Wall))
					}
				}
				down, err = tl.down()
				if err != nil {
					return err
				}
				return nil
			}()
			if err != nil {
				msg := fmt.Sprintf("run %d %s failed, sample dropped: %v", i+1, tl.name, err)
				fmt.Println(t.Name, firstLine(msg))
				fmt.Fprintln(os.Stderr, msg)
				res.Failures = append(res.Failures, msg)
				tl.cleanup()
				continue
			}
			tr.up = append(tr.up, ms(up.Wall))
			tr.reup = append(tr.reup, ms(reup.Wall))
			tr.down = append(tr.down, ms(down.Wall))
			tr.cpu = append(tr.cpu, ms(up.CPU))
			tr.rss = append(tr.rss, float64(max(up.MaxRSS, reup.MaxRSS, down.MaxRSS, plan.MaxRSS))/(1<<20))
			fmt.Printf("%s run %d %-9s up %7.0f ms  unchanged up %6.0f ms  down %6.0f ms  rss %5.1f MB\n",
				t.Name, i+1, tl.name, ms(up.Wall), ms(reup.Wall), ms(down.Wall), tr.rss[len(tr.rss)-1])
			if tl.name == "proeftuin" && res.Plan != nil {
				perStep := ms(plan.Wall) / float64(t.PlanSteps)
				res.Plan.run = append(res.Plan.run, perStep)
				tr.planPending = append(tr.planPending, (ms(plan.Wall)-ms(reup.Wall))/float64(t.PlanSteps))
			}
		}
	}
	for _, tr := range res.Tools {
		tr.UpMS, tr.ReupMS, tr.DownMS, tr.RSSMB, tr.UpCPUMS, tr.PlanMS = stat(tr.up), stat(tr.reup), stat(tr.down), stat(tr.rss), stat(tr.cpu), stat(tr.plan)
	}
	if ch := res.Chain; ch != nil {
		ch.ReadinessPerHopMS, ch.ReadyToDependentStartedMS, ch.ProbeMS = stat(ch.readiness), stat(ch.gap), stat(ch.probe)
	}
	if p := res.Plan; p != nil {
		if pt := res.Tools["proeftuin"]; pt != nil && len(p.raw) > 0 {
			raw := stat(p.raw).Median
			for _, v := range pt.planPending {
				p.overhead = append(p.overhead, v-raw)
			}
		}
		p.RunPerStepMS, p.RawPerStepMS, p.OverheadPerStepMS = stat(p.run), stat(p.raw), stat(p.overhead)
	}
	res.ratios()
	res.LoadEnd = loadavg()
	res.Notes = notes(t)
	return res, nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func (r *result) ratios() {
	pt, fl, dc := r.Tools["proeftuin"], r.Tools["floor"], r.Tools["compose"]
	if pt == nil {
		return
	}
	if fl != nil {
		r.Ratios["up_vs_floor"] = pt.UpMS.Median / fl.UpMS.Median
		r.Ratios["down_vs_floor"] = pt.DownMS.Median / fl.DownMS.Median
	}
	if dc != nil {
		r.Ratios["up_vs_compose"] = pt.UpMS.Median / dc.UpMS.Median
		r.Ratios["down_vs_compose"] = pt.DownMS.Median / dc.DownMS.Median
		r.Ratios["unchanged_up_vs_compose"] = pt.ReupMS.Median / dc.ReupMS.Median
	}
}

func notes(t *topo.Topology) []string {
	n := []string{
		"proeftuin: `proeftuin --output json up`, the same again (unchanged), `proeftuin down`; containers are force-removed.",
		"floor: bench/floor, the same Docker API calls without orchestration: networks, then every container created, connected, started and inspected until running, all at once; unchanged up = one container list and one network list; down = list, force-remove all containers at once, remove networks.",
		"compose: `docker-compose up -d`, the same again, `docker-compose down -t 0` (kill at once, as proeftuin and the floor do).",
	}
	if t.Last() != "" {
		n = append(n, "readiness: proeftuin waits for GET / on the published port from the host (its default 100ms interval); compose uses a healthcheck running `wget` inside the container every 100ms with depends_on condition service_healthy, and its up is timed until the last service reports healthy (polled every 20ms); the floor does not wait for readiness nor keep the order.")
	}
	if t.PlanSteps > 0 {
		n = append(n, "plan: `proeftuin run --format json` on the running environment; the floor runs the same 40 commands as raw exec round trips (create, attach, read, inspect) one after another; compose has no plan runner and is not compared.")
	}
	return n
}

func (c *config) proeftuinTool(t *topo.Topology, dir string, res *result) *tool {
	inst := fmt.Sprintf("bpt-%s-%d", t.Name, os.Getpid())
	pt := func(args ...string) (measured, error) {
		return run(nil, c.proeftuin, append([]string{"--dir", dir, "--name", inst, "--no-color"}, args...)...)
	}
	tl := &tool{name: "proeftuin"}
	tl.up = func() (measured, error) { return pt("--output", "json", "up") }
	tl.reup = func() (measured, error) { return pt("--output", "json", "up") }
	tl.down = func() (measured, error) { return pt("down") }
	tl.cleanup = func() { _, _ = pt("down") }
	if t.PlanSteps > 0 {
		tl.plan = func() (measured, error) {
			rd := filepath.Join(c.work, "reports-"+t.Name)
			_ = os.RemoveAll(rd)
			return pt("--output", "json", "run", "--format", "json", "--report-dir", rd)
		}
	}
	if res.Chain != nil {
		tl.afterUp = func(m measured) error { return res.Chain.add(t, m.Stdout) }
	}
	return tl
}

type event struct {
	Time  time.Time `json:"time"`
	Kind  string    `json:"kind"`
	Name  string    `json:"name"`
	Phase string    `json:"phase"`
}

// add reads one up's progress events and records each hop of the chain.
func (ch *Chain) add(t *topo.Topology, out []byte) error {
	at := map[string]time.Time{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil || e.Kind != "service" {
			continue
		}
		at[e.Name+"/"+e.Phase] = e.Time
	}
	for _, s := range t.Services {
		started, ready := at[s.Name+"/started"], at[s.Name+"/ready"]
		if started.IsZero() || ready.IsZero() {
			return fmt.Errorf("no started/ready events for %s in up's output", s.Name)
		}
		ch.probe = append(ch.probe, ms(ready.Sub(started)))
		if s.DependsOn == "" {
			continue
		}
		depStarted, depReady := at[s.DependsOn+"/started"], at[s.DependsOn+"/ready"]
		creating := at[s.Name+"/creating"]
		ch.readiness = append(ch.readiness, ms(creating.Sub(depStarted)))
		ch.gap = append(ch.gap, ms(started.Sub(depReady)))
	}
	return nil
}

func (c *config) floorTool(t *topo.Topology, dir string, res *result) *tool {
	spec := filepath.Join(dir, "spec.json")
	fl := func(mode string) func() (measured, error) {
		return func() (measured, error) {
			return run(nil, c.floor, "-spec", spec, "-project", fmt.Sprintf("bfl-%s-%d", t.Name, os.Getpid()), mode)
		}
	}
	tl := &tool{name: "floor", up: fl("up"), reup: fl("reup"), down: fl("down")}
	tl.cleanup = func() { _, _ = fl("down")() }
	if t.PlanSteps > 0 {
		tl.plan = fl("exec")
	}
	return tl
}

func (c *config) composeTool(t *topo.Topology, dir string, cli *client.Client) *tool {
	project := fmt.Sprintf("bdc%s%d", t.Name, os.Getpid())
	file := filepath.Join(dir, "docker-compose.yml")
	dc := func(args ...string) (measured, error) {
		return run(nil, c.compose, append([]string{"-p", project, "-f", file, "--no-ansi"}, args...)...)
	}
	up := func() (measured, error) {
		start := time.Now()
		m, err := dc("up", "-d")
		if err != nil || t.Last() == "" {
			return m, err
		}
		// compose 1.29 has no --wait: poll the last service's health.
		name := project + "_" + t.Last() + "_1"
		deadline := time.Now().Add(2 * time.Minute)
		for {
			in, err := cli.ContainerInspect(context.Background(), name, client.ContainerInspectOptions{})
			if err != nil {
				return m, fmt.Errorf("compose: inspect %s: %w", name, err)
			}
			if s := in.Container.State; s != nil && s.Health != nil && s.Health.Status == container.Healthy {
				break
			}
			if time.Now().After(deadline) {
				return m, fmt.Errorf("compose: %s not healthy after 2m", name)
			}
			time.Sleep(20 * time.Millisecond)
		}
		m.Wall = time.Since(start)
		return m, nil
	}
	tl := &tool{name: "compose", up: up, reup: up}
	tl.down = func() (measured, error) { return dc("down", "-t", "0") }
	tl.cleanup = func() { _, _ = dc("down", "-t", "0") }
	return tl
}

// printTable writes the figures of every topology.
func printTable(w io.Writer, all []*result) {
	fmt.Fprintln(w)
	fmt.Fprintf(w, "%-7s %-9s %-22s %-22s %-22s %-18s\n", "topo", "tool", "up ms", "unchanged up ms", "down ms", "peak RSS MB")
	for _, r := range all {
		for _, name := range []string{"proeftuin", "floor", "compose"} {
			tr := r.Tools[name]
			if tr == nil {
				continue
			}
			fmt.Fprintf(w, "%-7s %-9s %-22s %-22s %-22s %-18s\n", r.Topology.Name, name, tr.UpMS, tr.ReupMS, tr.DownMS, tr.RSSMB)
		}
	}
	fmt.Fprintln(w)
	for _, r := range all {
		var parts []string
		for _, k := range []string{"up_vs_floor", "up_vs_compose", "down_vs_floor", "down_vs_compose", "unchanged_up_vs_compose"} {
			if v, ok := r.Ratios[k]; ok {
				parts = append(parts, fmt.Sprintf("%s %.2fx", k, v))
			}
		}
		fmt.Fprintf(w, "%-7s %s\n", r.Topology.Name, strings.Join(parts, ", "))
		if ch := r.Chain; ch != nil {
			fmt.Fprintf(w, "%-7s readiness per hop %s ms; ready → dependent started %s ms; probe (started → ready) %s ms\n",
				"", ch.ReadinessPerHopMS, ch.ReadyToDependentStartedMS, ch.ProbeMS)
		}
		if p := r.Plan; p != nil {
			fmt.Fprintf(w, "%-7s run per step %s ms; raw exec round trips per step %s ms; overhead per step %s ms\n",
				"", p.RunPerStepMS, p.RawPerStepMS, p.OverheadPerStepMS)
		}
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
