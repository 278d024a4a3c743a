//go:build reliability

package reliability

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// The trials of issue 17 ("loses no data and reports only the truth"),
// through the binary. docs/reliability.md lists them with their outcome.

// otherLab is a lab of another environment, for trial 1.
const otherLab = `environment "other" {}
service "solo" {
  image   = "proeftuin/busybox:1"
  pull    = "never"
  command = ["sleep", "3600"]
}
`

// TestTruthOtherEnvironmentKeepsData (trial 1): lab rel is up under a
// name with a file in its volume; up of another environment under that
// name is refused with exit 2, names both and the way out, and changes
// nothing; down without --volumes keeps the data.
func TestTruthOtherEnvironmentKeepsData(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "lab")
	inst := newInstance(t, "env")
	mustRun(t, dir, "--name", inst, "up")
	ctx := context.Background()
	db := containers(t, inst)["db"]
	if res, err := eng.Exec(ctx, db.ID, engine.ExecSpec{Command: []string{"sh", "-c", "echo precious > /data/file"}}); err != nil || res.ExitCode != 0 {
		t.Fatalf("write into the volume: %v %+v", err, res)
	}
	other := filepath.Join(t.TempDir(), "other")
	os.MkdirAll(other, 0o755)
	if err := os.WriteFile(filepath.Join(other, "main.hcl"), []byte(otherLab), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, other, "--name", inst, "up")
	if r.Code != 2 {
		t.Fatalf("up of another environment: exit %d, want 2\n%s", r.Code, r)
	}
	for _, want := range []string{"rel", "other", "--name " + inst + " down", "--name"} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("message lacks %q:\n%s", want, r.Stderr)
		}
	}
	if got := containers(t, inst)["db"]; got.ID != db.ID {
		t.Fatalf("db container changed: %s, was %s", got.ID, db.ID)
	}
	// run is refused alike.
	if r := run(t, other, "--name", inst, "run"); r.Code != 2 {
		t.Errorf("run of another environment: exit %d, want 2\n%s", r.Code, r)
	}
	mustRun(t, dir, "--name", inst, "down")
	vols, err := eng.Volumes(ctx, map[string]string{engine.LabelInstance: inst})
	if err != nil || len(vols) != 1 {
		t.Fatalf("volumes after down: %v %v, want the one kept", vols, err)
	}
	mustRun(t, dir, "--name", inst, "up")
	out, err := eng.Exec(ctx, containers(t, inst)["db"].ID, engine.ExecSpec{Command: []string{"cat", "/data/file"}})
	if err != nil || strings.TrimSpace(string(out.Stdout)) != "precious" {
		t.Fatalf("data after down and up: %q %v", out.Stdout, err)
	}
}

func hashDir(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		out[e.Name()] = sha256.Sum256(b)
	}
	return out
}

// TestTruthResumeExact (trial 2): --resume after a passed run changes no
// byte of its files and exits 0; an unreadable newest state is exit 2
// naming the file, never a fall-back to the older run.
func TestTruthResumeExact(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "lab")
	inst := newInstance(t, "resume")
	mustRun(t, dir, "--name", inst, "--var", "step_sleep=0", "run", "--run-id", "first")
	runDir := filepath.Join(dir, ".proeftuin", "runs", "first")
	before := hashDir(t, runDir)
	time.Sleep(1100 * time.Millisecond)
	r := run(t, dir, "--name", inst, "--var", "step_sleep=0", "run", "--resume")
	if r.Code != 0 || !strings.Contains(r.Stderr, "already finished") {
		t.Fatalf("resume of a passed run: want exit 0 and 'already finished'\n%s", r)
	}
	after := hashDir(t, runDir)
	for name, h := range before {
		if after[name] != h {
			t.Errorf("%s changed by --resume", name)
		}
	}
	for _, content := range []string{"", "{}", "null", `{"version": 1, "run_`} {
		broken := filepath.Join(dir, ".proeftuin", "runs", "broken", "state.json")
		os.MkdirAll(filepath.Dir(broken), 0o755)
		os.WriteFile(broken, []byte(content), 0o644)
		r := run(t, dir, "--name", inst, "--var", "step_sleep=0", "run", "--resume")
		if r.Code != 2 || !strings.Contains(r.Stderr, broken) {
			t.Errorf("newest state %q: want exit 2 naming %s\n%s", content, broken, r)
		}
	}
	if r := run(t, dir, "--name", inst, "run", "--run-id", "../../../x"); r.Code != 2 {
		t.Errorf("--run-id ../../../x: exit %d, want 2", r.Code)
	}
	if _, err := os.Stat(filepath.Join(dir, "..", "x")); err == nil {
		t.Error("--run-id wrote outside the runs folder")
	}
}

// TestTruthLockAcrossSpellings (trial 4): a run reached through
// unix:///var/run/docker.sock holds the lock for a down through
// unix:///run/docker.sock with another XDG_RUNTIME_DIR.
func TestTruthLockAcrossSpellings(t *testing.T) {
	needEngine(t)
	a, errA := os.Stat("/var/run/docker.sock")
	b, errB := os.Stat("/run/docker.sock")
	if errA != nil || errB != nil || !os.SameFile(a, b) {
		t.Skip("needs /var/run/docker.sock and /run/docker.sock to be one socket")
	}
	t.Parallel()
	dir := labDir(t, "lab")
	inst := newInstance(t, "lock")
	s := start(t, invocation{dir: dir, env: []string{"DOCKER_HOST=unix:///var/run/docker.sock"},
		args: []string{"--name", inst, "--var", "step_sleep=20", "run"}})
	waitWhile(t, s, 3*time.Minute, "the plan runs", func() bool {
		_, err := os.Stat(filepath.Join(dir, ".proeftuin", "runs"))
		return err == nil
	})
	r := do(t, invocation{dir: dir, env: []string{"DOCKER_HOST=unix:///run/docker.sock", "XDG_RUNTIME_DIR=" + t.TempDir()},
		args: []string{"--name", inst, "down", "--lock-timeout", "2s"}})
	if r.Code == 0 {
		t.Errorf("down through another spelling did not wait for the run's lock:\n%s", r)
	}
	if len(containers(t, inst)) == 0 {
		t.Error("the instance was removed in the middle of its run")
	}
	s.signal(os.Interrupt)
	s.wait(t, 2*time.Minute)
}

// capLab prints a secret cut by the 64 KiB cap of a step's stored output
// (trial 5), and checks a marker before and after 100 kB (trial 6).
const capLab = `environment "cap" {}
variable "token" {
  type      = string
  default   = "Cap-Geheim-Waarde-4417"
  sensitive = true
}
service "box" {
  image   = "proeftuin/busybox:1"
  pull    = "never"
  command = ["sleep", "3600"]
}
plan "p" {}
step "leak" {
  exec {
    service = service.box
    command = ["sh", "-c", "printf '%s' '${var.token}'; head -c 65530 /dev/zero | tr '\\0' y"]
  }
  check "header" {
    exec {
      service         = service.box
      command         = ["sh", "-c", "echo HEADER-LINE; head -c 100000 /dev/zero | tr '\\0' x"]
      stdout_contains = "HEADER-LINE"
    }
  }
  check "tail" {
    exec {
      service         = service.box
      command         = ["sh", "-c", "head -c 100000 /dev/zero | tr '\\0' x; echo; echo TAIL-LINE"]
      stdout_contains = "TAIL-LINE"
    }
  }
}
`

// TestTruthCapSecretAndMarkers (trials 5 and 6) through the binary.
func TestTruthCapSecretAndMarkers(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "cap")
	os.MkdirAll(dir, 0o755)
	if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(capLab), 0o644); err != nil {
		t.Fatal(err)
	}
	inst := newInstance(t, "cap")
	r := run(t, dir, "--name", inst, "run", "--run-id", "cap", "--format", "json,md,html,junit,text")
	if r.Code != 0 {
		t.Fatalf("run: want exit 0 (both markers found)\n%s", r)
	}
	const secret = "Cap-Geheim-Waarde-4417"
	files := 0
	filepath.WalkDir(filepath.Join(dir, ".proeftuin"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		b, _ := os.ReadFile(p)
		// The cap keeps the secret's last 6 characters, then the filler.
		for k := 3; k <= len(secret); k++ {
			if strings.Contains(string(b), secret[len(secret)-k:]+"yyy") {
				t.Errorf("%s holds the secret's last %d characters", filepath.Base(p), k)
				break
			}
		}
		return nil
	})
	if files < 5 {
		t.Errorf("%d files written, want the state and 5 reports", files)
	}
}
