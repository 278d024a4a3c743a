// Package labs_test verifies the standard lab catalogue end to end on the
// real engine: `proeftuin lab verify` on every lab of environments/, with
// the local Debian image as the base (no registry is needed).
//
// The first run builds the labs' images (several minutes); later runs use
// the engine's build cache. Engine missing: skipped, or failed with CI=true.
package labs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/apply"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/labs"
	"github.com/proeftuin/proeftuin/internal/testenv"
)

var binary string

// slots bounds the verifications running at once (PROEFTUIN_LABS_PARALLEL,
// default 3): most of a verification is waiting (for services, for checks'
// retries, for an alert), not computing.
var slots chan struct{}

func init() {
	n := 3
	if v, err := strconv.Atoi(os.Getenv("PROEFTUIN_LABS_PARALLEL")); err == nil && v > 0 {
		n = v
	}
	slots = make(chan struct{}, n)
}

func TestMain(m *testing.M) {
	code := func() int {
		flag.Parse()
		if testing.Short() {
			return m.Run()
		}
		dir, err := os.MkdirTemp("", "proeftuin-labs-test-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		binary, err = testenv.BuildBinary(dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return m.Run()
	}()
	os.Exit(code)
}

// freePort returns a TCP port on 127.0.0.1 that is free right now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// verify runs `proeftuin lab verify` on dir and returns its JSON result,
// the exit code and stderr. A unique instance name is used, and whatever
// is left of the instance is removed by label afterwards.
func verify(t *testing.T, eng engine.Engine, dir string, vars ...string) (*labs.Result, int, string) {
	t.Helper()
	slots <- struct{}{}
	defer func() { <-slots }()
	instance := fmt.Sprintf("t%s-%d", filepath.Base(dir), time.Now().UnixNano()%1e6)
	t.Cleanup(func() { cleanup(t, eng, instance) })
	args := []string{"--output", "json", "--name", instance, "lab", "verify", "--dir", dir}
	for _, v := range vars {
		args = append(args, "--var", v)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v\n%s", args, err, stderr.String())
	}
	var res labs.Result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("lab verify (exit %d) printed no result: %v\nstdout:\n%s\nstderr:\n%s", code, err, stdout.String(), stderr.String())
	}
	return &res, code, stderr.String()
}

// cleanup removes every object of the instance that is still there
// (lab verify removes the instance itself; this is for a crash).
func cleanup(t *testing.T, eng engine.Engine, instance string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cs, err := eng.Containers(ctx, map[string]string{engine.LabelInstance: instance})
	if err != nil {
		t.Logf("cleanup %s: %v", instance, err)
		return
	}
	if len(cs) > 0 {
		t.Errorf("lab verify left %d containers of instance %s behind", len(cs), instance)
	}
	if err := apply.Down(ctx, eng, instance, true, nil); err != nil {
		t.Logf("cleanup %s: %v", instance, err)
	}
}

// describe renders a result for the test log.
func describe(res *labs.Result) string {
	var b strings.Builder
	tm := res.Timings
	fmt.Fprintf(&b, "lab %s: sound=%v plan=%s; up %s, before %s, plan %s, after %s, down %s, total %s\n",
		res.Lab, res.Sound, res.Plan, ms(tm.UpMS), ms(tm.BeforeMS), ms(tm.PlanMS), ms(tm.AfterMS), ms(tm.DownMS), ms(tm.TotalMS))
	for _, s := range res.Steps {
		fmt.Fprintf(&b, "  step  %-8s %s %s\n", s.Status, s.ID, s.Error)
	}
	for _, c := range res.Checks {
		fmt.Fprintf(&b, "  check %-28s %-22s before=%-7s after=%-7s %s\n", c.Name, c.Source, c.Before, c.After, c.Verdict)
		if c.Verdict != labs.VerdictOK {
			fmt.Fprintf(&b, "        before: %s\n        after:  %s\n", c.BeforeActual, c.AfterActual)
		}
	}
	for _, f := range res.Faults {
		fmt.Fprintf(&b, "  fault %-28s %-22s %s %s (%s)\n", f.ID, f.Source, f.Verdict, f.Detail, ms(f.DurationMS))
	}
	for _, p := range res.Problems {
		fmt.Fprintf(&b, "  problem: %s\n", p)
	}
	return b.String()
}

func ms(v int64) string {
	return (time.Duration(v) * time.Millisecond).Round(100 * time.Millisecond).String()
}

// labVars are the variables each lab needs in a test: the local Debian
// base and free host ports.
func labVars(t *testing.T, lab string) []string {
	vars := []string{"base_image=" + testenv.Debian}
	switch lab {
	case "hello":
		// No registry here: the local busybox through the variable.
		vars = []string{"image=" + testenv.Busybox, "web_port=" + strconv.Itoa(freePort(t))}
	case "webserver":
		vars = append(vars, "http_port="+strconv.Itoa(freePort(t)), "https_port="+strconv.Itoa(freePort(t)))
	case "monitoring":
		vars = append(vars, "prometheus_port="+strconv.Itoa(freePort(t)))
	}
	return vars
}

// TestCatalogueSound runs lab verify on every lab of the catalogue.
func TestCatalogueSound(t *testing.T) {
	t.Parallel()
	eng := testenv.Engine(t)
	testenv.Image(t, eng, testenv.Debian)
	names, err := os.ReadDir(filepath.Join(testenv.RepoRoot(), "environments"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range names {
		if !e.IsDir() {
			continue
		}
		lab := e.Name()
		t.Run(lab, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			dir := filepath.Join(testenv.RepoRoot(), "environments", lab)
			res, code, stderr := verify(t, eng, dir, labVars(t, lab)...)
			t.Logf("%s(%s wall clock)", describe(res), time.Since(start).Round(time.Second))
			if !res.Sound || code != 0 {
				t.Fatalf("lab %s is not sound (exit %d)\nstderr tail:\n%s", lab, code, tail(stderr, 40))
			}
			if !res.Removed {
				t.Errorf("the instance %s was not removed", res.Instance)
			}
			implemented := 0
			for _, c := range res.Checks {
				if c.Implemented {
					implemented++
				}
			}
			if implemented == 0 {
				t.Errorf("no check of lab %s verifies a requirement the plan implements", lab)
			}
		})
	}
}

// TestHollowLab: a check that passes before the plan is reported as
// testing nothing, with its file and line, and the lab is not sound.
func TestHollowLab(t *testing.T) {
	t.Parallel()
	eng := testenv.Engine(t)
	testenv.Image(t, eng, testenv.Busybox)
	dir, err := filepath.Abs(filepath.Join("testdata", "hollow"))
	if err != nil {
		t.Fatal(err)
	}
	res, code, _ := verify(t, eng, dir)
	t.Log(describe(res))
	if code != 1 || res.Sound {
		t.Fatalf("exit %d, sound %v: want 1 and not sound", code, res.Sound)
	}
	verdicts := map[string]labs.CheckResult{}
	for _, c := range res.Checks {
		verdicts[c.Name] = c
	}
	if c := verdicts["hello"]; c.Verdict != labs.VerdictTestsNothing || c.Source != "environment.hcl:39" {
		t.Errorf("check hello: %+v; want verdict %q at environment.hcl:39", c, labs.VerdictTestsNothing)
	}
	if c := verdicts["menu"]; c.Verdict != labs.VerdictOK || c.Before != "failed" || c.After != "passed" {
		t.Errorf("check menu: %+v; want failed before, passed after, ok", c)
	}
	found := false
	for _, p := range res.Problems {
		if strings.Contains(p, "hello") && strings.Contains(p, "environment.hcl:39") && strings.Contains(p, "tests nothing") {
			found = true
		}
	}
	if !found {
		t.Errorf("no problem names check hello with its file:line: %q", res.Problems)
	}
	if res.Plan != "passed" || !res.Removed {
		t.Errorf("plan %s, removed %v: want passed and removed", res.Plan, res.Removed)
	}
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// TestStarterSound: the lab `proeftuin init DIR` writes is sound too.
func TestStarterSound(t *testing.T) {
	t.Parallel()
	eng := testenv.Engine(t)
	testenv.Image(t, eng, testenv.Debian)
	dir := filepath.Join(t.TempDir(), "starter")
	if out, err := exec.Command(binary, "init", dir).CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	res, code, stderr := verify(t, eng, dir, "base_image="+testenv.Debian, "web_port="+strconv.Itoa(freePort(t)))
	t.Log(describe(res))
	if !res.Sound || code != 0 {
		t.Fatalf("the starter lab is not sound (exit %d)\n%s", code, tail(stderr, 40))
	}
}

// TestRoutingExampleSound: examples/routing (point-to-point links, routes
// set by the network helper) is sound: its web page check fails before
// the plan and passes after it, its routing checks hold by design. It
// takes seconds, so it runs with the catalogue.
func TestRoutingExampleSound(t *testing.T) {
	t.Parallel()
	eng := testenv.Engine(t)
	testenv.Image(t, eng, testenv.Busybox)
	res, code, stderr := verify(t, eng, filepath.Join(testenv.RepoRoot(), "examples", "routing"))
	t.Log(describe(res))
	if !res.Sound || code != 0 {
		t.Fatalf("examples/routing is not sound (exit %d)\n%s", code, tail(stderr, 40))
	}
}
