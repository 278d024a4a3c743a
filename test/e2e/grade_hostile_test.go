package e2e

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestGradeMisbehaving: a submission that crashes in a loop and one that
// floods its log each end with their own status beside a good one, and
// nothing of any of them is left on the engine.
func TestGradeMisbehaving(t *testing.T) {
	needEngine(t)
	t.Parallel()
	id := fmt.Sprintf("%x", rand.Uint32())
	good, crash, flood := "good-"+id, "crash-"+id, "flood-"+id
	subs, out := t.TempDir(), t.TempDir()
	base := gradeLab("auto", 0, "hello\n", "hello", "")
	httpd := `command = ["httpd", "-f", "-p", "80", "-h", "/www"]`
	writeLab(t, filepath.Join(subs, good), base)
	writeLab(t, filepath.Join(subs, crash), strings.NewReplacer(
		httpd, `command = ["sh", "-c", "echo crash; exit 1"]`+"\n  restart = \"always\"",
		`timeout = "30s"`, `timeout = "5s"`).Replace(base))
	writeLab(t, filepath.Join(subs, flood), strings.Replace(base, httpd,
		`command = ["sh", "-c", "httpd -p 80 -h /www; while true; do echo flood flood flood flood flood flood flood; done"]`, 1))
	rubric := filepath.Join(t.TempDir(), "grading.hcl")
	os.WriteFile(rubric, []byte(gradeRubric), 0o644)
	for _, s := range []string{good, crash, flood} {
		t.Cleanup(func() { sweep(t, "grade-"+s) })
	}
	r := run(t, subs, "grade", "--rubric", rubric, "--parallel", "3", "--timeout", "2m", "--out", out, ".")
	if r.Code != 0 {
		t.Fatalf("grade: %s", r)
	}
	g := readGrades(out)
	if g[good] != "passed" || g[crash] != "failed" || g[flood] != "passed" {
		t.Errorf("grades: %v\n%s", g, r)
	}
	for _, s := range []string{good, crash, flood} {
		assertNothingLeft(t, "grade-"+s)
	}
}

// TestGradeForkBomb: the rubric's pids limit is applied to every
// container (the good submission's plan reads it from its cgroup), a
// submission that forks without end stays within it and gets its own
// status, and nothing is left on the engine.
func TestGradeForkBomb(t *testing.T) {
	needEngine(t)
	t.Parallel()
	id := fmt.Sprintf("%x", rand.Uint32())
	good, bomb := "pids-"+id, "bomb-"+id
	subs, out := t.TempDir(), t.TempDir()
	base := gradeLab("auto", 0, "hello\n", "hello", "")
	writeLab(t, filepath.Join(subs, good), strings.NewReplacer(
		`command         = ["cat", "/www/index.html"]
      stdout_contains = "hello"
    }
  }
}`, `command         = ["sh", "-c", "cat /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/pids.max 2>/dev/null; true"]
      stdout_contains = "64"
    }
  }
}`).Replace(base))
	writeLab(t, filepath.Join(subs, bomb), strings.Replace(base, `command = ["true"]`,
		`command = ["sh", "-c", "for i in $(seq 500); do sleep 600 & done; true"]`, 1))
	rubric := filepath.Join(t.TempDir(), "grading.hcl")
	os.WriteFile(rubric, []byte(gradeRubric+"limits {\n  pids   = 64\n  memory = \"128m\"\n}\n"), 0o644)
	for _, s := range []string{good, bomb} {
		t.Cleanup(func() { sweep(t, "grade-"+s) })
	}
	r := run(t, subs, "grade", "--rubric", rubric, "--parallel", "2", "--timeout", "2m", "--out", out, ".")
	if r.Code != 0 {
		t.Fatalf("grade: %s", r)
	}
	g := readGrades(out)
	if g[good] != "passed" {
		t.Errorf("%s: %q, want passed (pids.max 64 in its cgroup)\n%s", good, g[good], r)
	}
	if g[bomb] != "passed" && g[bomb] != "failed" {
		t.Errorf("%s: %q", bomb, g[bomb])
	}
	for _, s := range []string{good, bomb} {
		assertNothingLeft(t, "grade-"+s)
	}
}

// TestGradeFillsVolume: the rubric's disk limit is applied. A submission
// whose plan keeps writing into its volume is stopped once the volume
// holds more than the limit and is graded failed with that reason; the
// one beside it, with the same volume, is graded as if it were not
// there; nothing of either is left on the engine (volumes included).
func TestGradeFillsVolume(t *testing.T) {
	needEngine(t)
	t.Parallel()
	id := fmt.Sprintf("%x", rand.Uint32())
	good, filler := "tidy-"+id, "filler-"+id
	subs, out := t.TempDir(), t.TempDir()
	mount := "mount {\n    volume = volume.data\n    target = \"/data\"\n  }"
	base := strings.Replace(gradeLab("auto", 0, "hello\n", "hello", mount), `service "web"`, "volume \"data\" {}\n\nservice \"web\"", 1)
	writeLab(t, filepath.Join(subs, good), strings.Replace(base, `command = ["true"]`,
		`command = ["sh", "-c", "echo small > /data/note"]`, 1))
	writeLab(t, filepath.Join(subs, filler), strings.Replace(base, `command = ["true"]`,
		`command = ["sh", "-c", "while true; do dd if=/dev/zero bs=1M count=4 >> /data/fill 2>/dev/null; sleep 0.2; done"]`, 1))
	rubric := filepath.Join(t.TempDir(), "grading.hcl")
	os.WriteFile(rubric, []byte(gradeRubric+"limits {\n  disk = \"24m\"\n}\n"), 0o644)
	for _, s := range []string{good, filler} {
		t.Cleanup(func() { sweep(t, "grade-"+s) })
	}
	start := time.Now()
	r := run(t, subs, "grade", "--rubric", rubric, "--parallel", "2", "--timeout", "3m", "--out", out, ".")
	if r.Code != 0 {
		t.Fatalf("grade: %s", r)
	}
	if d := time.Since(start); d > 90*time.Second {
		t.Errorf("grading took %s: the filler was not stopped at its disk limit", d.Round(time.Second))
	}
	g := readGrades(out)
	if g[good] != "passed" {
		t.Errorf("%s: %q, want passed\n%s", good, g[good], r)
	}
	if g[filler] != "failed" {
		t.Errorf("%s: %q, want failed\n%s", filler, g[filler], r)
	}
	b, _ := os.ReadFile(filepath.Join(out, "grades.json"))
	if !strings.Contains(string(b), "disk limit") || !strings.Contains(string(b), "volume grade-"+filler) {
		t.Errorf("grades.json does not say the filler's volume went past the disk limit:\n%s", b)
	}
	for _, s := range []string{good, filler} {
		assertNothingLeft(t, "grade-"+s)
	}
}
