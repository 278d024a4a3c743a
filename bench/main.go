// Command bench measures proeftuin against the engine floor (bench/floor:
// the same Docker API work with no orchestration) and docker-compose, on
// generated topologies that run the local busybox image.
//
//	go run ./bench                       # short: flat10 and chain5, 3 runs
//	go run ./bench -full                 # every topology, 5 runs
//	go run ./bench -topologies flat30 -runs 7
//	go run ./bench -trace flat10         # where proeftuin's time goes: every API call, timed
//
// Each run brings a topology up, brings it up again unchanged, (plan20:
// runs the plan,) and takes it down, with proeftuin, the floor and
// docker-compose in turn (proeftuin, floor, compose, proeftuin, ...), so
// the three share the engine's state and the machine's load. Every command
// is a child process; its wall time and peak RSS (wait4 rusage Maxrss) are
// recorded. The table goes to the terminal, the figures to
// bench/results/<date>-<topology>.json.
//
// Nothing here is part of `go test ./...`: this is a main package without
// tests; bench/internal/topo has a small generator test that needs no
// engine.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/moby/moby/client"

	"github.com/proeftuin/proeftuin/bench/internal/topo"
)

type config struct {
	runs       int
	topologies []string
	tools      []string
	out        string
	proeftuin  string
	floor      string
	compose    string
	root       string
	work       string
}

func main() {
	full := flag.Bool("full", false, "the full benchmark: every topology, 5 runs")
	runs := flag.Int("runs", 0, "runs per tool and topology (default 3, or 5 with -full)")
	tops := flag.String("topologies", "", "comma separated: "+strings.Join(topo.Names, ", ")+" (default flat10,chain5, or all with -full)")
	tools := flag.String("tools", "proeftuin,floor,compose", "which to measure")
	out := flag.String("out", "bench/results", "folder for the JSON results (relative to the module root)")
	ptBin := flag.String("proeftuin", "", "proeftuin binary to measure (default: build ./cmd/proeftuin)")
	faults := flag.Bool("faults", false, "measure fault start and fault check (against their inject and checks) instead of the topologies")
	trace := flag.String("trace", "", "trace one topology: every Docker API call proeftuin makes in up, unchanged up and down, with timings")
	flag.Parse()

	root, err := moduleRoot()
	if err != nil {
		fatal(err)
	}
	work, err := os.MkdirTemp("", "proeftuin-bench-")
	if err != nil {
		fatal(err)
	}
	defer os.RemoveAll(work)
	cfg := &config{root: root, work: work, proeftuin: *ptBin, tools: splitComma(*tools)}
	cfg.runs = *runs
	if cfg.runs <= 0 {
		cfg.runs = 3
		if *full {
			cfg.runs = 5
		}
	}
	cfg.topologies = splitComma(*tops)
	if len(cfg.topologies) == 0 {
		cfg.topologies = []string{"flat10", "chain5"}
		if *full {
			cfg.topologies = topo.Names
		}
	}
	cfg.out = *out
	if !filepath.IsAbs(cfg.out) {
		cfg.out = filepath.Join(root, cfg.out)
	}
	if err := cfg.build(); err != nil {
		fatal(err)
	}
	if *trace != "" {
		if err := cfg.trace(*trace); err != nil {
			fatal(err)
		}
		return
	}
	m := machine(cfg)
	if *faults {
		res, err := cfg.faults(m)
		if err != nil {
			fatal(err)
		}
		res.print()
		if err := res.save(cfg.out); err != nil {
			fatal(err)
		}
		return
	}
	fmt.Printf("machine: %d cores, %s memory, Docker %s (API %s), %s, load %s\n", m.NProc, m.Memory, m.Engine, m.API, m.Compose, m.LoadBefore)
	var all []*result
	for _, name := range cfg.topologies {
		t, err := topo.Get(name)
		if err != nil {
			fatal(err)
		}
		if t.PlanSteps > 0 && !cfg.hasRun() {
			fmt.Printf("%s: left out, this proeftuin has no run command\n", name)
			continue
		}
		res, err := cfg.bench(t, m)
		if err != nil {
			fatal(fmt.Errorf("%s: %w", name, err))
		}
		all = append(all, res)
		if err := res.save(cfg.out); err != nil {
			fatal(err)
		}
	}
	printTable(os.Stdout, all)
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}

func splitComma(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func moduleRoot() (string, error) {
	b, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(b))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run the benchmark inside the proeftuin module")
	}
	return filepath.Dir(mod), nil
}

// build compiles proeftuin (as `make build` does) and the floor.
func (c *config) build() error {
	gobuild := func(out, pkg string) error {
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", out, pkg)
		cmd.Dir = c.root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go build %s: %w", pkg, err)
		}
		return nil
	}
	if c.proeftuin == "" {
		c.proeftuin = filepath.Join(c.work, "proeftuin")
		if err := gobuild(c.proeftuin, "./cmd/proeftuin"); err != nil {
			return err
		}
	}
	c.floor = filepath.Join(c.work, "floor")
	if err := gobuild(c.floor, "./bench/floor"); err != nil {
		return err
	}
	if slices.Contains(c.tools, "compose") {
		p, err := exec.LookPath("docker-compose")
		if err != nil {
			return fmt.Errorf("docker-compose not found (leave it out with -tools proeftuin,floor): %w", err)
		}
		c.compose = p
	}
	return nil
}

// hasRun reports whether the proeftuin under test has a run command.
func (c *config) hasRun() bool {
	out, _ := exec.Command(c.proeftuin, "--help").Output()
	for _, l := range strings.Split(string(out), "\n") {
		if f := strings.Fields(l); len(f) > 0 && f[0] == "run" {
			return true
		}
	}
	return false
}

// measured is one child process.
type measured struct {
	Wall   time.Duration
	MaxRSS int64 // bytes
	CPU    time.Duration
	Stdout []byte
}

func run(env []string, name string, args ...string) (measured, error) {
	cmd := exec.Command(name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = append(os.Environ(), env...)
	start := time.Now()
	err := cmd.Run()
	m := measured{Wall: time.Since(start), Stdout: stdout.Bytes()}
	if ps := cmd.ProcessState; ps != nil {
		m.MaxRSS, m.CPU = usage(ps)
	}
	if err != nil {
		return m, fmt.Errorf("%s %s: %w\n%s%s", filepath.Base(name), strings.Join(args, " "), err, tail(stderr.String()), tail(stdout.String()))
	}
	return m, nil
}

func tail(s string) string {
	if len(s) > 2000 {
		s = "..." + s[len(s)-2000:]
	}
	return s
}

// Machine describes where the figures were taken.
type Machine struct {
	NProc      int    `json:"nproc"`
	Memory     string `json:"memory"`
	Engine     string `json:"engine_version"`
	API        string `json:"api_version"`
	Storage    string `json:"storage_driver"`
	Compose    string `json:"compose_version"`
	Go         string `json:"go_version"`
	Kernel     string `json:"kernel"`
	LoadBefore string `json:"loadavg_before"`
}

func machine(c *config) Machine {
	m := Machine{NProc: runtime.NumCPU(), Go: runtime.Version(), LoadBefore: loadavg()}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			if f := strings.Fields(sc.Text()); len(f) >= 2 && f[0] == "MemTotal:" {
				var kb int64
				fmt.Sscan(f[1], &kb)
				m.Memory = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if cli, err := client.New(client.FromEnv); err == nil {
		ctx := context.Background()
		if _, err := cli.Ping(ctx, client.PingOptions{NegotiateAPIVersion: true}); err == nil {
			m.API = cli.ClientVersion()
		}
		if info, err := cli.Info(ctx, client.InfoOptions{}); err == nil {
			m.Engine = info.Info.ServerVersion
			m.Storage = info.Info.Driver
		}
		cli.Close()
	}
	if c.compose != "" {
		if out, err := exec.Command(c.compose, "version", "--short").Output(); err == nil {
			m.Compose = "docker-compose " + strings.TrimSpace(string(out))
		}
	}
	return m
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
