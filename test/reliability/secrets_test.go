//go:build reliability

package reliability

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const secretValue = "Zeer-Geheim-Token-7781"

// TestSecretsNeverShown: a lab with a sensitive variable in a service's
// env, its command, a file, a plan step and checks. The output of
// validate, plan, up, status, logs, run (every report format, text and
// JSON), check and down, and every file written, must not hold the value.
// Unsafe settings without --allow are test/e2e's TestUnsafeSettings.
func TestSecretsNeverShown(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "secret")
	inst := newInstance(t, "")
	rdir := filepath.Join(t.TempDir(), "run")
	cdir := filepath.Join(t.TempDir(), "check")
	var outputs []struct {
		what string
		r    result
	}
	add := func(want int, args ...string) {
		r := run(t, dir, append([]string{"--name", inst}, args...)...)
		if want >= 0 && r.Code != want {
			t.Errorf("proeftuin %s: exit %d, want %d\n%s", strings.Join(args, " "), r.Code, want, r)
		}
		outputs = append(outputs, struct {
			what string
			r    result
		}{strings.Join(args, " "), r})
	}
	add(0, "validate")
	add(-1, "plan")
	add(-1, "--output", "json", "plan")
	add(0, "up")
	add(0, "--output", "json", "up")
	add(0, "status")
	add(0, "--output", "json", "status")
	add(0, "logs")
	add(0, "logs", "vault")
	// The step's second check fails on purpose (its expectation and
	// output hold the secret), so run exits 1.
	add(1, "run", "--report-dir", rdir, "--format", "json,md,html,junit,text")
	add(1, "run", "--report-dir", rdir, "--format", "json,md,html,junit,text", "--lang", "en")
	add(1, "--output", "json", "run", "--report-dir", rdir+"-json", "--format", "json")
	add(0, "check", "--report-dir", cdir, "--format", "json,md,html,junit,text")
	add(0, "--output", "json", "check", "--report-dir", cdir+"-json")
	add(0, "report", "--in", filepath.Join(rdir, "result.json"), "--format", "html")
	add(0, "down")

	leaks := 0
	for _, o := range outputs {
		for _, s := range []string{o.r.Stdout, o.r.Stderr} {
			if strings.Contains(s, secretValue) {
				leaks++
				t.Errorf("proeftuin %s shows the secret:\n%s", o.what, trim(o.r.String()))
			}
		}
	}
	files := 0
	for _, root := range []string{rdir, rdir + "-json", cdir, cdir + "-json", filepath.Join(dir, ".proeftuin")} {
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			files++
			data, err := os.ReadFile(path)
			if err == nil && strings.Contains(string(data), secretValue) {
				leaks++
				t.Errorf("%s holds the secret", path)
			}
			return nil
		})
	}
	if files < 10 {
		t.Errorf("only %d report files written; the test proves little", files)
	}
	t.Logf("%d outputs and %d files searched; %d leaks", 2*len(outputs), files, leaks)
}
