// Package bundle_test exports a lab with its images, removes the image
// from a real Docker engine, imports the bundle and brings the lab up from
// the imported copy alone.
//
// It needs a Docker engine, the docker CLI and proeftuin/busybox:1 (built
// by scripts/test-images.sh when missing). Without an engine it is
// skipped, except in CI (CI=true) where that is a failure.
package bundle_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/testenv"
)

type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.code, r.stdout, r.stderr)
}

func run(t *testing.T, bin, dir string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "TESTCONTAINERS_RYUK_DISABLED=true")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %s: %v", filepath.Base(bin), strings.Join(args, " "), err)
	}
	t.Logf("%s %s -> exit %d", filepath.Base(bin), strings.Join(args, " "), code)
	return result{code, out.String(), errb.String()}
}

func mustRun(t *testing.T, bin, dir string, args ...string) result {
	t.Helper()
	r := run(t, bin, dir, args...)
	if r.code != 0 {
		t.Fatalf("%s %s failed:\n%s", filepath.Base(bin), strings.Join(args, " "), r)
	}
	return r
}

// copyDir copies the regular files of src to dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			if info.Name() == ".proeftuin" {
				return filepath.SkipDir
			}
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// setDefault replaces the default of variable name in an HCL file.
func setDefault(t *testing.T, file, name, value string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?s)(variable "` + name + `" \{.*?default\s*=\s*)[^\n]*`)
	if !re.Match(data) {
		t.Fatalf("no default for variable %s in %s", name, file)
	}
	data = re.ReplaceAll(data, []byte("${1}"+value))
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func docker(t *testing.T, args ...string) error {
	t.Helper()
	out, err := exec.Command("docker", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

func TestExportRemoveImportUp(t *testing.T) {
	eng := testenv.Engine(t)
	if _, err := exec.LookPath("docker"); err != nil {
		testenv.Unavailable(t, "the docker CLI is needed to tag and remove the test image: %v", err)
	}
	base := testenv.Image(t, eng, testenv.Busybox)
	ctx := context.Background()

	tmp := t.TempDir()
	bin, err := testenv.BuildBinary(tmp)
	if err != nil {
		t.Fatal(err)
	}
	suffix := fmt.Sprintf("%x", time.Now().UnixNano()&0xffffffff)
	tag := "proeftuin/bundle-test:" + suffix
	instance := "bundle-" + suffix

	// A copy of examples/hello whose image is the temporary tag, baked
	// into the variable's default so the bundle needs no --var.
	src := filepath.Join(tmp, "src", "hello")
	copyDir(t, filepath.Join(testenv.RepoRoot(), "examples", "hello"), src)
	setDefault(t, filepath.Join(src, "environment.hcl"), "image", fmt.Sprintf("%q", tag))
	setDefault(t, filepath.Join(src, "environment.hcl"), "web_port", fmt.Sprint(freePort(t)))

	if err := docker(t, "tag", base, tag); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = docker(t, "rmi", tag) })

	out := filepath.Join(tmp, "hello.tar.gz")
	r := mustRun(t, bin, tmp, "--dir", src, "--name", instance, "bundle", "export", "--out", out)
	if !strings.Contains(r.stdout, tag) {
		t.Errorf("export does not mention %s:\n%s", tag, r)
	}

	// Only the temporary tag goes; proeftuin/busybox:1 keeps the image.
	if err := docker(t, "rmi", tag); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.ImageID(ctx, tag); !errors.Is(err, engine.ErrNotFound) {
		t.Fatalf("image %s still present after rmi: %v", tag, err)
	}
	if _, err := eng.ImageID(ctx, base); err != nil {
		t.Fatalf("%s is gone: %v", base, err)
	}

	class := filepath.Join(tmp, "class")
	if err := os.Mkdir(class, 0o755); err != nil {
		t.Fatal(err)
	}
	r = mustRun(t, bin, class, "bundle", "import", out)
	if !strings.Contains(r.stdout, "1 image loaded") {
		t.Errorf("import output:\n%s", r)
	}
	if _, err := eng.ImageID(ctx, tag); err != nil {
		t.Fatalf("image %s not back after import: %v", tag, err)
	}
	lab := filepath.Join(class, "hello")
	entries, _ := os.ReadDir(class)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"hello"}) {
		t.Errorf("class folder holds %v, want only hello", names)
	}

	// The imported lab comes up with pull = never: nothing from a registry.
	t.Cleanup(func() { run(t, bin, lab, "--name", instance, "down", "--volumes") })
	mustRun(t, bin, lab, "--name", instance, "up", "--pull", "never", "--wait-timeout", "60s")
	mustRun(t, bin, lab, "--name", instance, "status")
	mustRun(t, bin, lab, "--name", instance, "check")
	mustRun(t, bin, lab, "--name", instance, "run")
	mustRun(t, bin, lab, "--name", instance, "down")

	// A second import into the same folder is refused and changes nothing.
	r = run(t, bin, class, "bundle", "import", out, "hello")
	if r.code != 2 || !strings.Contains(r.stderr, "--force") {
		t.Errorf("import into a non-empty folder:\n%s", r)
	}

	// A damaged bundle is refused with exit 2 and leaves nothing behind.
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(tmp, "bad.tar.gz")
	if err := os.WriteFile(bad, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(tmp, "empty")
	os.Mkdir(empty, 0o755)
	r = run(t, bin, empty, "bundle", "import", bad)
	if r.code != 2 || !strings.Contains(r.stderr, "bundle refused") {
		t.Errorf("damaged bundle:\n%s", r)
	}
	if left, _ := os.ReadDir(empty); len(left) != 0 {
		t.Errorf("a refused import left %v", left)
	}
}

// TestImportedUnsafeLabRefused: a bundle from someone else whose lab asks
// for privileged mode and the Docker socket. Import says so, and `up` of
// the imported lab refuses both without --allow, exactly as for a lab
// written by hand, before anything is created.
func TestImportedUnsafeLabRefused(t *testing.T) {
	eng := testenv.Engine(t)
	testenv.Image(t, eng, testenv.Busybox)
	tmp := t.TempDir()
	bin, err := testenv.BuildBinary(tmp)
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(tmp, "src", "risky")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	lab := `environment "risky" {}

service "box" {
  image      = "proeftuin/busybox:1"
  pull       = "never"
  command    = ["sleep", "3600"]
  privileged = true
  mount {
    bind   = "/var/run/docker.sock"
    target = "/var/run/docker.sock"
  }
}
`
	if err := os.WriteFile(filepath.Join(src, "environment.hcl"), []byte(lab), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "risky.tar.gz")
	mustRun(t, bin, tmp, "--dir", src, "bundle", "export", "--without-images", "--out", out)

	class := filepath.Join(tmp, "class")
	if err := os.Mkdir(class, 0o755); err != nil {
		t.Fatal(err)
	}
	r := mustRun(t, bin, class, "bundle", "import", out)
	for _, want := range []string{"refuses unless you trust it", "runs privileged", "mounts the Docker socket"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("import does not warn %q:\n%s", want, r)
		}
	}

	instance := fmt.Sprintf("risky-%x", time.Now().UnixNano()&0xffffffff)
	imported := filepath.Join(class, "risky")
	t.Cleanup(func() { run(t, bin, imported, "--name", instance, "down", "--volumes") })
	r = run(t, bin, imported, "--name", instance, "up", "--pull", "never")
	if r.code != 2 {
		t.Fatalf("up of the imported lab: exit %d, want 2\n%s", r.code, r)
	}
	for _, want := range []string{"environment.hcl:7:", "--allow privileged", "--allow docker-socket"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("up does not say %q:\n%s", want, r)
		}
	}
	cs, err := eng.Containers(context.Background(), map[string]string{engine.LabelInstance: instance})
	if err != nil || len(cs) != 0 {
		t.Errorf("up created %d containers (%v)", len(cs), err)
	}
	nets, err := eng.Networks(context.Background(), map[string]string{engine.LabelInstance: instance})
	if err != nil || len(nets) != 0 {
		t.Errorf("up created %d networks (%v)", len(nets), err)
	}
}
