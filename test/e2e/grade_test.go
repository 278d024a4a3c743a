package e2e

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// gradeLab is a one-service lab on a literal subnet with a published host
// port; its plan checks that index.html holds want.
func gradeLab(subnet string, port int, content, want, extra string) string {
	return fmt.Sprintf(`environment "graded" {}

requirement "FR-01" {
  title    = "The page is served"
  priority = "must"
}

network "lan" {
  subnet = %q
}

service "web" {
  image   = "proeftuin/busybox:1"
  pull    = "never"
  command = ["httpd", "-f", "-p", "80", "-h", "/www"]
  satisfies = [requirement.FR-01]
  %s
  network "lan" {}
  port {
    host      = %d
    container = 80
  }
  file "/www/index.html" {
    content = %q
  }
  ready {
    http {
      port = 80
    }
    timeout = "30s"
  }
}

plan "p" {}

step "page" {
  implements = [requirement.FR-01]
  exec {
    service = service.web
    command = ["true"]
  }
  check "content" {
    exec {
      service         = service.web
      command         = ["cat", "/www/index.html"]
      stdout_contains = %q
    }
  }
}

check "served" {
  verifies = [requirement.FR-01]
  exec {
    service         = service.web
    command         = ["cat", "/www/index.html"]
    stdout_contains = %q
  }
}
`, subnet, extra, port, content, want, want)
}

const gradeRubric = `rubric "graded" {
  title = "Graded lab"
  due   = "2000-01-01T00:00:00Z"
}
requires {
  services     = ["web"]
  requirements = ["FR-01"]
}
points {
  FR-01 = 2
}
check "index" {
  title      = "The index page says hello"
  points     = 3
  visibility = "after_due"
  exec {
    service         = service.web
    command         = ["cat", "/www/index.html"]
    stdout_contains = "hello"
  }
}
check "secret" {
  points = 1
  exec {
    service = service.web
    command = ["true"]
  }
}
`

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestGrade grades a folder of submissions: one passes, one (a .zip)
// fails its plan while sharing the first one's literal subnet and host
// port, one is invalid, one asks for privileged and one archive
// traverses paths. Each ends with its own status, the two that conflict
// never run at the same time, and nothing is left on the engine.
func TestGrade(t *testing.T) {
	needEngine(t)
	t.Parallel()
	id := fmt.Sprintf("%x", rand.Uint32())
	subnet := fmt.Sprintf("10.%d.%d.0/24", 200+rand.IntN(50), rand.IntN(250))
	port := freePort(t)
	subs := t.TempDir()
	pass, fail, invalid, unsafe, evil := "pass-"+id, "fail-"+id, "invalid-"+id, "unsafe-"+id, "evil-"+id

	writeLab(t, filepath.Join(subs, pass), gradeLab(subnet, port, "hello\n", "hello", ""))
	os.WriteFile(filepath.Join(subs, pass, "notes.md"), []byte("I learned *a lot*.\n"), 0o644)
	zipLab(t, filepath.Join(subs, fail+".zip"), gradeLab(subnet, port, "bye\n", "hello", ""))
	writeLab(t, filepath.Join(subs, invalid), `environment "x" {`+"\n")
	writeLab(t, filepath.Join(subs, unsafe), gradeLab(subnet, port, "hello\n", "hello", "privileged = true"))
	evilTar(t, filepath.Join(subs, evil+".tar.gz"))
	rubric := filepath.Join(t.TempDir(), "grading.hcl")
	os.WriteFile(rubric, []byte(gradeRubric), 0o644)
	out := t.TempDir()
	for _, s := range []string{pass, fail, invalid, unsafe, evil} {
		t.Cleanup(func() { sweep(t, "grade-"+s) })
	}

	start := time.Now()
	r := run(t, subs, "grade", "--rubric", rubric, "--parallel", "4", "--timeout", "3m", "--out", out, ".")
	if r.Code != 0 {
		t.Fatalf("grade: %s", r)
	}
	t.Logf("graded in %s", time.Since(start).Round(time.Millisecond))

	rows := readCSV(t, filepath.Join(out, "grades.csv"))
	want := map[string][]string{
		pass:    {pass, "passed", "6", "6", "100.0", "2", "3", "1"},
		fail:    {fail, "failed", "1", "6", "16.7", "0", "0", "1"},
		invalid: {invalid, "invalid", "0", "6", "0.0", "0", "0", "0"},
		unsafe:  {unsafe, "refused", "0", "6", "0.0", "0", "0", "0"},
		evil:    {evil, "refused", "0", "6", "0.0", "0", "0", "0"},
	}
	if got := strings.Join(rows[0], ","); got != "student,status,points,max_points,percent,FR-01,index,secret" {
		t.Errorf("CSV header: %s", got)
	}
	for _, row := range rows[1:] {
		if w := want[row[0]]; strings.Join(row, ",") != strings.Join(w, ",") {
			t.Errorf("CSV row %v, want %v", row, w)
		}
		delete(want, row[0])
	}
	if len(want) != 0 {
		t.Errorf("missing from the CSV: %v\n%s", want, r)
	}

	// The two that share a subnet and a port both came up (each wrote its
	// report), one after the other.
	a, b := runWindow(t, out, pass), runWindow(t, out, fail)
	if a[0].Before(b[1]) && b[0].Before(a[1]) {
		t.Errorf("%s ran %v and %s ran %v: at the same time", pass, a, fail, b)
	}

	fb := feedbackSection(t, out, fail)
	if !strings.Contains(fb, "The index page says hello") || strings.Contains(fb, "secret") {
		t.Errorf("feedback of %s does not respect visibility:\n%s", fail, fb)
	}
	if !strings.Contains(fb, "bye") {
		t.Errorf("feedback of %s lacks the actual value of an after_due check past its due date:\n%s", fail, fb)
	}
	md, _ := os.ReadFile(filepath.Join(out, pass, "report", "report.md"))
	if !strings.Contains(string(md), "I learned *a lot*.") {
		t.Errorf("the report of %s lacks the notes:\n%s", pass, md)
	}
	if fb := feedbackSection(t, out, invalid); !strings.Contains(fb, "Invalid") {
		t.Errorf("the report of %s has no feedback saying it is invalid:\n%s", invalid, fb)
	}
	for _, s := range []string{pass, fail, invalid, unsafe, evil} {
		assertNothingLeft(t, "grade-"+s)
	}
}

// feedbackSection is the feedback section of a student's report.md.
func feedbackSection(t *testing.T, out, student string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, student, "report", "report.md"))
	if err != nil {
		t.Fatalf("%s has no report: %v", student, err)
	}
	_, fb, ok := strings.Cut(string(b), "\n## Grade\n")
	if !ok {
		t.Fatalf("the report of %s has no feedback section:\n%s", student, b)
	}
	fb, _, _ = strings.Cut(fb, "\n## ")
	return fb
}

func writeLab(t *testing.T, dir, src string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "environment.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

func zipLab(t *testing.T, name, src string) {
	t.Helper()
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	w, _ := zw.Create("lab/environment.hcl")
	w.Write([]byte(src))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}

func evilTar(t *testing.T, name string) {
	t.Helper()
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	body := []byte(`environment "evil" {}` + "\n")
	tw.WriteHeader(&tar.Header{Name: "../../evil.hcl", Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg})
	tw.Write(body)
	tw.Close()
	zw.Close()
}

func readCSV(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("read %s: %v", name, err)
	}
	return rows
}

// runWindow is when a student's own run started and finished.
func runWindow(t *testing.T, out, student string) [2]time.Time {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, student, "report", "result.json"))
	if err != nil {
		t.Fatalf("%s has no report: %v", student, err)
	}
	var res struct{ Started, Finished time.Time }
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	return [2]time.Time{res.Started, res.Finished}
}
