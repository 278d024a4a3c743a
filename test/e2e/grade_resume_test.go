package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

type gradesFile struct {
	Results []struct {
		Student string  `json:"student"`
		Status  string  `json:"status"`
		Resumed bool    `json:"resumed"`
		Time    float64 `json:"duration_s"`
	} `json:"results"`
}

func readGrades(out string) map[string]string {
	b, err := os.ReadFile(filepath.Join(out, "grades.json"))
	if err != nil {
		return nil
	}
	var g gradesFile
	if json.Unmarshal(b, &g) != nil {
		return nil
	}
	m := map[string]string{}
	for _, r := range g.Results {
		m[r.Student] = r.Status
		if r.Resumed {
			m[r.Student] += " resumed"
		}
	}
	return m
}

// TestGradeInterruptAndResume: Ctrl-C while a submission's plan hangs
// stops the grade run cleanly (exit 130, its instance removed, the
// finished grade kept); --resume keeps that grade and grades the hanging
// one, which reaches --timeout and is graded timed_out; nothing is left.
func TestGradeInterruptAndResume(t *testing.T) {
	needEngine(t)
	t.Parallel()
	id := fmt.Sprintf("%x", rand.Uint32())
	ok, hang := "ok-"+id, "hang-"+id
	subs, out := t.TempDir(), t.TempDir()
	lab := func(extraStep string) string {
		src := gradeLab("auto", 0, "hello\n", "hello", "")
		return strings.Replace(src, `  check "content" {`, extraStep+`  check "content" {`, 1)
	}
	writeLab(t, filepath.Join(subs, ok), lab(""))
	writeLab(t, filepath.Join(subs, hang), lab("  exec {\n    service = service.web\n    command = [\"sleep\", \"600\"]\n  }\n"))
	rubric := filepath.Join(t.TempDir(), "grading.hcl")
	os.WriteFile(rubric, []byte(gradeRubric), 0o644)
	for _, s := range []string{ok, hang} {
		t.Cleanup(func() { sweep(t, "grade-"+s) })
	}

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := command(ctx, subs, "grade", "--rubric", rubric, "--parallel", "2", "--timeout", "5m", "--out", out, ".")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for readGrades(out)[ok] == "" || len(leftovers(t, "grade-"+hang)) == 0 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("%s was not graded while %s runs:\n%s%s", ok, hang, stdout.String(), stderr.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(time.Second) // into the hanging step
	cmd.Process.Signal(syscall.SIGINT)
	stopped := time.Now()
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("interrupted grade: %v\n%s%s", err, stdout.String(), stderr.String())
	}
	t.Logf("stopped %s after Ctrl-C", time.Since(stopped).Round(time.Millisecond))
	g := readGrades(out)
	if g[ok] != "passed" || g[hang] != "" {
		t.Errorf("grades after Ctrl-C: %v", g)
	}
	assertNothingLeft(t, "grade-"+hang)

	r := run(t, subs, "grade", "--rubric", rubric, "--timeout", "15s", "--out", out, "--resume", ".")
	if r.Code != 0 {
		t.Fatalf("resume: %s", r)
	}
	g = readGrades(out)
	if g[ok] != "passed resumed" || g[hang] != "timed_out" {
		t.Errorf("grades after --resume: %v", g)
	}
	for _, s := range []string{ok, hang} {
		assertNothingLeft(t, "grade-"+s)
	}
}
