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

	"github.com/proeftuin/proeftuin/internal/testenv"
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

// TestGradeBundleImages: a bundle handed in with its images is graded
// without a registry: grade loads the images into the engine, as
// `bundle import` would, and the lab comes up with pull = "never".
func TestGradeBundleImages(t *testing.T) {
	needEngine(t)
	if _, err := exec.LookPath("docker"); err != nil {
		testenv.Unavailable(t, "the docker CLI is needed to tag and remove the test image: %v", err)
	}
	t.Parallel()
	id := fmt.Sprintf("%x", rand.Uint32())
	student, tag := "bundled-"+id, "proeftuin/grade-bundle-test:"+id
	dockerCLI(t, "tag", testImage, tag)
	t.Cleanup(func() { exec.Command("docker", "rmi", tag).Run() })
	lab, subs, out := t.TempDir(), t.TempDir(), t.TempDir()
	writeLab(t, lab, strings.Replace(gradeLab("auto", 0, "hello\n", "hello", ""), `image   = "proeftuin/busybox:1"`, fmt.Sprintf("image   = %q", tag), 1))
	if r := run(t, lab, "bundle", "export", "--out", filepath.Join(subs, student+".tar.gz")); r.Code != 0 {
		t.Fatalf("export: %s", r)
	}
	dockerCLI(t, "rmi", tag)
	if _, err := eng.ImageID(t.Context(), tag); err == nil {
		t.Fatalf("%s is still on the engine", tag)
	}
	rubric := filepath.Join(t.TempDir(), "grading.hcl")
	os.WriteFile(rubric, []byte(gradeRubric), 0o644)
	t.Cleanup(func() { sweep(t, "grade-"+student) })
	r := run(t, subs, "grade", "--rubric", rubric, "--timeout", "2m", "--out", out, ".")
	if r.Code != 0 {
		t.Fatalf("grade: %s", r)
	}
	if g := readGrades(out); g[student] != "passed" {
		b, _ := os.ReadFile(filepath.Join(out, "grades.json"))
		t.Errorf("%s: %q, want passed\n%s\n%s", student, g[student], r, b)
	}
	if _, err := eng.ImageID(t.Context(), tag); err != nil {
		t.Errorf("the bundle's image is not on the engine after grading: %v", err)
	}
	assertNothingLeft(t, "grade-"+student)
}

func dockerCLI(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("docker", args...).CombinedOutput(); err != nil {
		t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}
