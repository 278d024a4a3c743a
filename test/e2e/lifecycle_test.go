package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/testenv"
)

// planJSON is the part of `plan --output json` the tests read.
type planJSON struct {
	Operations []struct {
		Kind     string `json:"kind"`
		Resource string `json:"resource"`
		Name     string `json:"name"`
		Cause    string `json:"cause"`
	} `json:"operations"`
	Summary struct {
		Create    int `json:"create"`
		Recreate  int `json:"recreate"`
		Remove    int `json:"remove"`
		Unchanged int `json:"unchanged"`
	} `json:"summary"`
	Changes bool `json:"changes"`
}

func plan(t *testing.T, dir string, args ...string) planJSON {
	t.Helper()
	r := run(t, dir, append(args, "--output", "json", "plan")...)
	if r.Code != 0 {
		t.Fatalf("plan: %s", r)
	}
	var p planJSON
	if err := json.Unmarshal([]byte(r.Stdout), &p); err != nil {
		t.Fatalf("plan output is not JSON: %v\n%s", err, r)
	}
	return p
}

func TestIdempotence(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "topology")
	inst := newInstance(t, "")

	p := plan(t, dir, "--name", inst)
	if p.Summary.Create == 0 || !p.Changes {
		t.Fatalf("plan before the first up: %+v", p)
	}
	mustRun(t, dir, "--name", inst, "up")
	first := ids(containers(t, inst))

	// Nothing changed: the plan says so, up keeps every container.
	if r := run(t, dir, "--name", inst, "plan", "--detailed-exitcode"); r.Code != 0 {
		t.Errorf("plan after up: want exit 0 (no changes):\n%s", r)
	} else if !regexp.MustCompile(`0 to create, 0 to recreate, 0 to remove, \d+ unchanged`).MatchString(r.Stdout) {
		t.Errorf("plan summary:\n%s", r.Stdout)
	}
	mustRun(t, dir, "--name", inst, "up")
	if second := ids(containers(t, inst)); !sameMap(first, second) {
		t.Errorf("second up changed containers:\nfirst  %v\nsecond %v", first, second)
	}

	// One service's env changes: only it is recreated; its dependents keep
	// their containers.
	r := run(t, dir, "--name", inst, "--var", "greeting=hoi", "plan", "--detailed-exitcode")
	if r.Code != 2 || !strings.Contains(r.Stdout, "recreate service cache") {
		t.Errorf("plan with a changed env: want exit 2 and a recreate of cache:\n%s", r)
	}
	p = plan(t, dir, "--name", inst, "--var", "greeting=hoi")
	if p.Summary.Recreate != 1 || p.Summary.Create != 0 || p.Summary.Remove != 0 {
		t.Errorf("plan with a changed env: %+v", p.Summary)
	}
	mustRun(t, dir, "--name", inst, "--var", "greeting=hoi", "up")
	third := ids(containers(t, inst))
	for svc, id := range first {
		changed := third[svc] != id
		if changed != (svc == "cache") {
			t.Errorf("service %s: recreated = %v, want %v", svc, changed, svc == "cache")
		}
	}
	if r := execIn(t, inst, "cache", "sh", "-c", "echo $GREETING"); strings.TrimSpace(string(r.Stdout)) != "hoi" {
		t.Errorf("cache env GREETING = %q", r.Stdout)
	}

	// A service leaves the definition: up removes it, keeps the others.
	path := filepath.Join(dir, "main.hcl")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(src), `service "reporter"`)
	if i < 0 {
		t.Fatal("reporter not found in main.hcl")
	}
	if err := os.WriteFile(path, src[:i], 0o644); err != nil {
		t.Fatal(err)
	}
	st := status(t, dir, "--name", inst, "--var", "greeting=hoi")
	for _, s := range st.Services {
		if s.Name == "reporter" && s.Drift != "not declared" {
			t.Errorf("status of an undeclared service: drift %q", s.Drift)
		}
	}
	r = run(t, dir, "--name", inst, "--var", "greeting=hoi", "plan")
	if !strings.Contains(r.Stdout, "remove service reporter") {
		t.Errorf("plan lacks the removal of reporter:\n%s", r)
	}
	mustRun(t, dir, "--name", inst, "--var", "greeting=hoi", "up")
	fourth := ids(containers(t, inst))
	if _, ok := fourth["reporter"]; ok {
		t.Errorf("reporter still exists after it left the definition")
	}
	delete(third, "reporter")
	if !sameMap(third, fourth) {
		t.Errorf("removing reporter changed others:\nbefore %v\nafter  %v", third, fourth)
	}

	// A declared service whose container disappeared shows as missing.
	if err := eng.RemoveContainer(t.Context(), fourth["isolated"]); err != nil {
		t.Fatal(err)
	}
	st = status(t, dir, "--name", inst, "--var", "greeting=hoi")
	found := false
	for _, s := range st.Services {
		if s.Name == "isolated" {
			found = true
			if s.State != "missing" {
				t.Errorf("removed service: state %q, want missing", s.State)
			}
		}
	}
	if !found {
		t.Errorf("status does not list the missing service isolated")
	}
}

func sameMap(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestSideBySide(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "twoservices")
	a, b := newInstance(t, "a"), newInstance(t, "b")
	var wg sync.WaitGroup
	res := make([]result, 2)
	for i, inst := range []string{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res[i] = run(t, dir, "--name", inst, "up")
		}()
	}
	wg.Wait()
	for i, r := range res {
		if r.Code != 0 {
			t.Fatalf("up %d: %s", i, r)
		}
	}
	ports := map[int]bool{}
	for _, inst := range []string{a, b} {
		st := status(t, dir, "--name", inst)
		if len(st.Services) != 2 {
			t.Fatalf("instance %s: %d services", inst, len(st.Services))
		}
		for _, s := range st.Services {
			if s.State != "running" {
				t.Errorf("instance %s service %s: %s", inst, s.Name, s.State)
			}
			if s.Container != inst+"-"+s.Name {
				t.Errorf("container %s, want %s-%s", s.Container, inst, s.Name)
			}
			for _, p := range s.Ports {
				ports[p.HostPort] = true
				if body := httpGet(t, "http://127.0.0.1:"+itoa(p.HostPort)+"/"); body != "pair\n" {
					t.Errorf("instance %s: %q", inst, body)
				}
			}
		}
	}
	if len(ports) != 2 {
		t.Errorf("the two instances share a host port: %v", ports)
	}
	for _, inst := range []string{a, b} {
		mustRun(t, dir, "--name", inst, "down")
		assertNothingLeft(t, inst)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// startUp starts `up` in the background and waits until the first
// containers of the instance exist.
func startUp(t *testing.T, dir, inst string) (wait func() result, pid int, signal func(os.Signal), stderr func() string) {
	t.Helper()
	cmd := command(t.Context(), dir, "--name", inst, "up")
	var out, errb testenv.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan result, 1)
	go func() {
		err := cmd.Wait()
		code := 0
		if err != nil {
			code = cmd.ProcessState.ExitCode()
		}
		done <- result{Code: code, Stdout: out.String(), Stderr: errb.String()}
	}()
	waitFor(t, 60*time.Second, "the first containers of "+inst, func() bool {
		cs := containers(t, inst)
		_, first := cs["first"]
		_, never := cs["never"]
		return first && never
	})
	return func() result {
			select {
			case r := <-done:
				return r
			case <-time.After(90 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("up did not end 90s after the signal:\n%s", errb.String())
				return result{}
			}
		}, cmd.Process.Pid, func(s os.Signal) {
			if err := cmd.Process.Signal(s); err != nil {
				t.Fatal(err)
			}
		}, errb.String
}

// TestSignalledUpRollsBack: an up interrupted (SIGINT) or terminated
// (SIGTERM) while it creates removes everything it created.
func TestSignalledUpRollsBack(t *testing.T) {
	needEngine(t)
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			dir := labDir(t, "slow")
			inst := newInstance(t, "")
			wait, _, signal, _ := startUp(t, dir, inst)
			signal(sig)
			r := wait()
			if r.Code != 130 {
				t.Errorf("up after %s: exit %d, want 130\n%s", sig, r.Code, r)
			}
			// The roll-back must not merely try: it reports success only
			// when nothing of the instance is left (a create in flight at
			// the signal included), and then nothing may be left.
			if !strings.Contains(r.Stderr, "what this run created was removed") {
				t.Errorf("up after %s did not report a complete roll-back:\n%s", sig, r)
			}
			if left := leftovers(t, inst); len(left) > 0 {
				t.Errorf("instance %s left behind: %s\n%s", inst, strings.Join(left, ", "), r)
			}
		})
	}
}

func TestKilledUpThenDown(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "slow")
	inst := newInstance(t, "")
	wait, _, signal, _ := startUp(t, dir, inst)
	signal(syscall.SIGKILL)
	wait()
	if len(leftovers(t, inst)) == 0 {
		t.Fatal("SIGKILL left nothing behind; the test proves nothing")
	}
	mustRun(t, dir, "--name", inst, "down", "--volumes")
	assertNothingLeft(t, inst)
}

func TestDownWithoutDefinition(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "twoservices")
	inst := newInstance(t, "")
	mustRun(t, dir, "--name", inst, "up")
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	elsewhere := t.TempDir()
	mustRun(t, elsewhere, "--name", inst, "down")
	assertNothingLeft(t, inst)
	// Down of an instance that no longer exists is fine too.
	mustRun(t, elsewhere, "--name", inst, "down")
}

func TestConcurrentUpSameInstance(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "twoservices")
	inst := newInstance(t, "")
	// The first up holds the lock once its first container exists; the
	// second starts then, so it must wait.
	first := command(t.Context(), dir, "--name", inst, "up")
	var out, errb testenv.Buffer
	first.Stdout, first.Stderr = &out, &errb
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 60*time.Second, "the first container", func() bool { return len(containers(t, inst)) > 0 })
	second := run(t, dir, "--name", inst, "up")
	err := first.Wait()
	res := []result{{Code: first.ProcessState.ExitCode(), Stdout: out.String(), Stderr: errb.String()}, second}
	if err != nil && res[0].Code == 0 {
		t.Fatal(err)
	}
	waited := 0
	for i, r := range res {
		if r.Code != 0 {
			t.Errorf("up %d: %s", i, r)
		}
		if strings.Contains(r.Stderr, "waiting for another proeftuin command on instance "+inst) {
			waited++
			if !regexp.MustCompile(`\(pid \d+`).MatchString(r.Stderr) {
				t.Errorf("the waiting message does not name the holder's pid:\n%s", r.Stderr)
			}
		}
	}
	if waited != 1 || !strings.Contains(res[1].Stderr, "waiting for another") {
		t.Errorf("the second up did not wait for the lock:\n%s\n%s", res[0], res[1])
	}
	cs, err := eng.Containers(t.Context(), map[string]string{"proeftuin.instance": inst})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 {
		t.Errorf("%d containers, want 2", len(cs))
	}
	for _, c := range cs {
		if c.State != "running" {
			t.Errorf("%s is %s", c.Name, c.State)
		}
	}
	if r := run(t, dir, "--name", inst, "plan", "--detailed-exitcode"); r.Code != 0 {
		t.Errorf("plan after two ups: %s", r)
	}
}

// TestLockTimeout: a second command gives up after --lock-timeout.
func TestLockTimeout(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "slow")
	inst := newInstance(t, "")
	wait, pid, signal, _ := startUp(t, dir, inst)
	r := run(t, dir, "--name", inst, "down", "--lock-timeout", "500ms")
	if r.Code == 0 || !strings.Contains(r.Stderr, "waiting for another proeftuin command on instance "+inst+" (pid "+itoa(pid)) {
		t.Errorf("down while up holds the lock:\n%s", r)
	}
	signal(syscall.SIGINT)
	if r := wait(); r.Code != 130 {
		t.Errorf("up: %s", r)
	}
}

// TestDoubleInterrupt: a second Ctrl-C quits at once, without waiting for
// the roll-back; down then removes what is left.
func TestDoubleInterrupt(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "slow")
	inst := newInstance(t, "")
	wait, _, signal, stderr := startUp(t, dir, inst)
	signal(syscall.SIGINT)
	// The second one counts as "again" once the first was noticed.
	waitFor(t, 30*time.Second, "up to notice the first SIGINT", func() bool {
		return strings.Contains(stderr(), "press Ctrl-C again")
	})
	signal(syscall.SIGINT)
	r := wait()
	if r.Code != 130 || !strings.Contains(r.Stderr, "interrupted again") {
		t.Errorf("up after two SIGINTs: %s", r)
	}
	// The container the first up was removing when it quit may still be
	// going away: down waits for that rather than failing on the daemon's
	// "removal … already in progress".
	down := mustRun(t, dir, "--name", inst, "down", "--volumes")
	if strings.Contains(down.Stderr, "failed") {
		t.Errorf("down after two SIGINTs reported a failure:\n%s", down)
	}
	assertNothingLeft(t, inst)
}
