//go:build linux

// Command grade benchmarks `proeftuin grade`: it generates a class of
// submissions of examples/hello (by default 30: 12 that pass, 8 whose
// plan fails, 5 invalid, 5 unsafe), grades them in one run, then grades
// each alone, and compares the wall time of the one run with the sum of
// the others. Every student publishes the page on a port of their own
// (as their own web_port), so the passing and failing ones do not
// conflict and may run side by side.
//
//	go run ./bench/grade                # build proeftuin, 30 submissions
//	go run ./bench/grade -pass 4 -fail 2 -invalid 2 -unsafe 2
//
// The figures go to the terminal and bench/results/<date>-grade.json.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

type counts struct{ pass, fail, invalid, unsafe int }

// parallel is --parallel of the one run; 0 leaves grade's default.
var parallel int

// loadavg is /proc/loadavg's first three fields.
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

type figures struct {
	Date        string `json:"date"`
	Submissions int    `json:"submissions"`
	Parallel    int    `json:"parallel,omitempty"` // 0: grade's default
	// Load is the machine's load average (1, 5, 15 min) before the one
	// run, after it, and after the runs one at a time.
	Load         map[string]string  `json:"load"`
	WallS        float64            `json:"wall_s"`
	SumAloneS    float64            `json:"sum_alone_s"`
	Ratio        float64            `json:"ratio"`
	PeakRSSMiB   float64            `json:"peak_rss_mib"`
	NoEngineMaxS float64            `json:"invalid_unsafe_max_s"`
	Statuses     map[string]int     `json:"statuses"`
	Alone        map[string]float64 `json:"alone_s"`
}

func main() {
	var c counts
	flag.IntVar(&c.pass, "pass", 12, "submissions that pass")
	flag.IntVar(&c.fail, "fail", 8, "submissions whose plan fails")
	flag.IntVar(&c.invalid, "invalid", 5, "invalid submissions")
	flag.IntVar(&c.unsafe, "unsafe", 5, "submissions that ask for privileged")
	bin := flag.String("bin", "", "the proeftuin binary (default: build ./cmd/proeftuin)")
	flag.IntVar(&parallel, "parallel", 0, "--parallel of the one run (default: grade's own default)")
	flag.Parse()
	if err := bench(c, *bin); err != nil {
		fmt.Fprintln(os.Stderr, "bench/grade:", err)
		os.Exit(1)
	}
}

func bench(c counts, bin string) error {
	work, err := os.MkdirTemp("", "bench-grade-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	if bin == "" {
		bin = filepath.Join(work, "proeftuin")
		if out, err := exec.Command("go", "build", "-o", bin, "./cmd/proeftuin").CombinedOutput(); err != nil {
			return fmt.Errorf("build: %v\n%s", err, out)
		}
	}
	subs := filepath.Join(work, "subs")
	students, err := generate(subs, c)
	if err != nil {
		return err
	}
	rubric := filepath.Join(work, "grading.hcl")
	if err := os.WriteFile(rubric, []byte(rubricHCL), 0o644); err != nil {
		return err
	}
	f := figures{Date: time.Now().UTC().Format(time.RFC3339), Submissions: len(students), Parallel: parallel,
		Statuses: map[string]int{}, Alone: map[string]float64{}, Load: map[string]string{"before": loadavg()}}
	wall, rss, err := grade(bin, rubric, subs, filepath.Join(work, "out"), parallel)
	if err != nil {
		return err
	}
	f.Load["after_one_run"] = loadavg()
	f.WallS, f.PeakRSSMiB = wall.Seconds(), float64(rss)/(1<<20)
	results, err := readResults(filepath.Join(work, "out"))
	if err != nil {
		return err
	}
	for _, r := range results {
		f.Statuses[r.Status]++
		if (r.Status == "invalid" || r.Status == "refused") && r.Duration > f.NoEngineMaxS {
			f.NoEngineMaxS = r.Duration
		}
	}
	for _, s := range students {
		one := filepath.Join(work, "alone", s)
		if err := os.MkdirAll(one, 0o755); err != nil {
			return err
		}
		if err := os.Rename(filepath.Join(subs, s), filepath.Join(one, s)); err != nil {
			return err
		}
		w, _, err := grade(bin, rubric, one, filepath.Join(work, "out-"+s), 0)
		if err != nil {
			return err
		}
		f.Alone[s] = w.Seconds()
		f.SumAloneS += w.Seconds()
	}
	f.Load["after_alone"] = loadavg()
	f.Ratio = f.WallS / f.SumAloneS
	fmt.Printf("%d submissions %v: one run %.1f s, one at a time %.1f s (ratio %.2f, target <= 0.5); peak RSS %.0f MiB; slowest invalid/unsafe %.0f ms; load %v\n",
		f.Submissions, f.Statuses, f.WallS, f.SumAloneS, f.Ratio, f.PeakRSSMiB, f.NoEngineMaxS*1000, f.Load)
	b, _ := json.MarshalIndent(f, "", "  ")
	suffix := ""
	if parallel > 0 {
		suffix = fmt.Sprintf("-parallel%d", parallel)
	}
	name := filepath.Join("bench", "results", time.Now().Format("2006-01-02")+"-grade"+suffix+".json")
	return os.WriteFile(name, append(b, '\n'), 0o644)
}

// grade runs one grade and returns its wall time and peak RSS.
func grade(bin, rubric, subs, out string, parallel int) (time.Duration, int64, error) {
	args := []string{"grade", "--rubric", rubric, "--timeout", "3m", "--out", out}
	if parallel > 0 {
		args = append(args, "--parallel", fmt.Sprint(parallel))
	}
	cmd := exec.Command(bin, append(args, subs)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss * 1024
	}
	if err != nil {
		return wall, rss, fmt.Errorf("grade %s: %v\n%s", subs, err, stderr.String())
	}
	return wall, rss, nil
}

type result struct {
	Status   string  `json:"status"`
	Duration float64 `json:"duration_s"`
}

func readResults(out string) ([]result, error) {
	b, err := os.ReadFile(filepath.Join(out, "grades.json"))
	if err != nil {
		return nil, err
	}
	var g struct{ Results []result }
	err = json.Unmarshal(b, &g)
	return g.Results, err
}

// generate writes the class: copies of examples/hello, each on its own
// web_port, some with a failing plan, some invalid, some unsafe.
func generate(dir string, c counts) ([]string, error) {
	env, err := os.ReadFile("examples/hello/environment.hcl")
	if err != nil {
		return nil, fmt.Errorf("run from the repository's root: %w", err)
	}
	plan, err := os.ReadFile("examples/hello/plan.hcl")
	if err != nil {
		return nil, err
	}
	about, err := os.ReadFile("examples/hello/files/about.html")
	if err != nil {
		return nil, err
	}
	var students []string
	n := 0
	add := func(kind string, count int, envf, planf func(string) string) error {
		for i := 0; i < count; i++ {
			n++
			s := fmt.Sprintf("%s-%02d", kind, n)
			d := filepath.Join(dir, s)
			if err := os.MkdirAll(filepath.Join(d, "files"), 0o755); err != nil {
				return err
			}
			e := strings.Replace(string(env), "default     = 8080", fmt.Sprintf("default     = %d", 18100+n), 1)
			os.WriteFile(filepath.Join(d, "environment.hcl"), []byte(envf(e)), 0o644)
			os.WriteFile(filepath.Join(d, "plan.hcl"), []byte(planf(string(plan))), 0o644)
			os.WriteFile(filepath.Join(d, "files", "about.html"), about, 0o644)
			students = append(students, s)
		}
		return nil
	}
	same := func(s string) string { return s }
	steps := []struct {
		kind      string
		count     int
		env, plan func(string) string
	}{
		{"pass", c.pass, same, same},
		{"fail", c.fail, same, func(s string) string {
			return strings.Replace(s, `body_contains = "Menu"`, `body_contains = "Menu, not there"`, 1)
		}},
		{"invalid", c.invalid, func(s string) string { return s + "\nservice \"broken\" {\n" }, same},
		{"unsafe", c.unsafe, func(s string) string {
			return strings.Replace(s, `command = ["httpd"`, "privileged = true\n  command = [\"httpd\"", 1)
		}, same},
	}
	for _, st := range steps {
		if err := add(st.kind, st.count, st.env, st.plan); err != nil {
			return nil, err
		}
	}
	return students, nil
}

const rubricHCL = `rubric "hello" {
  title = "Hello, proeftuin"
}
requires {
  services     = ["web", "worker"]
  requirements = ["FR-01", "FR-02"]
}
points {
  FR-01 = 2
  FR-02 = 1
}
check "welcome" {
  points = 2
  exec {
    service         = service.web
    command         = ["cat", "/www/index.html"]
    stdout_contains = "Hello"
  }
}
`
