package e2e

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
