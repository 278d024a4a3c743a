package grade

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/proeftuin/proeftuin/internal/bundle"
	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/engine/fake"
	"github.com/proeftuin/proeftuin/internal/phrase"
	"github.com/proeftuin/proeftuin/internal/report"
)

func TestSchedulerConflicts(t *testing.T) {
	s := newScheduler(1, 3)
	var running, maxRunning, shared atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 9; i++ {
		keys := []string{"subnet 10.20.0.0/24"}
		if i%3 != 0 {
			keys = nil // no conflict: may run beside anything
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, release, err := s.acquire(context.Background(), keys)
			if err != nil {
				t.Error(err)
				return
			}
			n := running.Add(1)
			for {
				m := maxRunning.Load()
				if n <= m || maxRunning.CompareAndSwap(m, n) {
					break
				}
			}
			if keys != nil && shared.Add(1) > 1 {
				t.Error("two submissions with the same subnet ran at once")
			}
			time.Sleep(10 * time.Millisecond)
			if keys != nil {
				shared.Add(-1)
			}
			running.Add(-1)
			release()
		}()
	}
	wg.Wait()
	if m := maxRunning.Load(); m > 3 || m < 2 {
		t.Errorf("at most %d ran at once, want 2..3", m)
	}
}

func TestSchedulerCancel(t *testing.T) {
	s := newScheduler(1, 1)
	_, release, _ := s.acquire(context.Background(), nil)
	defer release()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, _, err := s.acquire(ctx, nil); err == nil {
		t.Fatal("acquire on a full scheduler returned without a slot")
	}
}

// Two engines: submissions that conflict on one engine run at once on
// two; a failed engine gets nothing more, and with none left acquire says
// so.
func TestSchedulerEngines(t *testing.T) {
	s := newScheduler(2, 2)
	keys := []string{"port 8080/tcp"}
	a, relA, _ := s.acquire(context.Background(), keys)
	b, relB, _ := s.acquire(context.Background(), keys)
	if a == b {
		t.Fatalf("two submissions with the same port on engine %d", a)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, _, err := s.acquire(ctx, keys); err == nil {
		t.Fatal("a third submission with the same port was placed")
	}
	relA()
	s.fail(a)
	relB()
	for i := 0; i < 3; i++ {
		got, rel, err := s.acquire(context.Background(), nil)
		if err != nil || got != b {
			t.Fatalf("placed on %d (%v), want the live engine %d", got, err, b)
		}
		rel()
	}
	s.fail(b)
	if _, _, err := s.acquire(context.Background(), nil); !errors.Is(err, errNoEngine) {
		t.Fatalf("err = %v, want errNoEngine", err)
	}
}

func TestConflictKeys(t *testing.T) {
	env := &config.Environment{
		Networks: []*config.Network{{Name: "a", Subnet: "10.20.0.0/24"}, {Name: "b", AutoSubnet: true, Subnet: "10.99.0.0/24"}, {Name: "c"}},
		Services: []*config.Service{{Name: "web", Ports: []*config.Port{{Host: 8080, Container: 80}, {Container: 443}}}},
	}
	got := strings.Join(conflictKeys(env), ",")
	if got != "port 8080/tcp,subnet 10.20.0.0/24" {
		t.Errorf("keys = %s", got)
	}
}

func testClass(due time.Time) (*Class, *config.Rubric) {
	rub := &config.Rubric{Name: "r", Title: "R", Due: due, Requirements: []string{"FR-01", "FR-02"},
		Points: map[string]int{"FR-01": 2, "FR-02": 1},
		Checks: []*config.RubricCheck{
			{Check: &config.Check{Name: "shown", Title: "Shown title"}, Points: 3, Visibility: "name"},
			{Check: &config.Check{Name: "later", Title: "Later title"}, Points: 2, Visibility: "after_due"},
			{Check: &config.Check{Name: "secret", Title: "Secret title"}, Points: 1, Visibility: "hidden"},
		}}
	r := &Result{Student: "bob", Status: Passed}
	r.take(&report.Result{Status: report.Passed, Matrix: []report.MatrixRow{{ID: "FR-01", Verdict: report.Verified}, {ID: "FR-02", Verdict: report.VerdictFailed}}})
	r.takeHidden(rub, &report.Result{Acceptance: []report.Check{
		{Name: "shown", Status: report.Passed, Expected: "EXP-shown", Actual: "ACT-shown"},
		{Name: "later", Status: report.Failed, Expected: `stdout contains "later"`, Actual: "ACT-later",
			ExpectedText: phrase.Of(phrase.P("stdout_contains", "later"))},
		{Name: "secret", Status: report.Passed, Expected: "EXP-secret", Actual: "ACT-secret"},
	}})
	r.score(rub)
	return &Class{Rubric: rubricInfo(rub), Results: []*Result{r}}, rub
}

func TestScoreAndCSV(t *testing.T) {
	c, _ := testClass(time.Time{})
	r := c.Results[0]
	if r.Status != Failed || r.Points != 6 || r.MaxPoints != 9 || r.Percent != 66.7 {
		t.Errorf("status %s, %d/%d (%.1f%%)", r.Status, r.Points, r.MaxPoints, r.Percent)
	}
	b, err := c.CSV()
	if err != nil {
		t.Fatal(err)
	}
	want := "student,status,points,max_points,percent,FR-01,FR-02,shown,later,secret\nbob,failed,6,9,66.7,2,0,3,0,1\n"
	if string(b) != want {
		t.Errorf("CSV:\n%s\nwant\n%s", b, want)
	}
}

// The feedback section of the evaluation report, in every format and
// language the student gets, shows the hidden checks only as their
// visibility allows: nothing of a "hidden" one, a "name" one's title,
// an "after_due" one's expected and actual (translated) once due.
func TestFeedbackVisibility(t *testing.T) {
	due := time.Date(2026, 12, 20, 16, 0, 0, 0, time.UTC)
	c, _ := testClass(due)
	for _, lang := range []string{"en", "nl"} {
		c.Lang = lang
		for _, at := range []time.Time{due.Add(-time.Hour), due.Add(time.Hour)} {
			out := t.TempDir()
			if err := c.writeReport(out, c.Results[0], at); err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"result.json", "report.md", "report.html"} {
				b, err := os.ReadFile(filepath.Join(out, "bob", "report", name))
				if err != nil {
					t.Fatal(err)
				}
				doc := string(b)
				if name == "report.html" { // the text a reader sees
					doc = html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(doc, ""))
				}
				for _, hidden := range []string{"secret", "Secret title", "EXP-secret", "ACT-secret", "EXP-shown", "ACT-shown"} {
					if strings.Contains(doc, hidden) {
						t.Errorf("%s %s (%s) shows %q", lang, name, at, hidden)
					}
				}
				if !strings.Contains(doc, "Shown title") || !strings.Contains(doc, "Later title") {
					t.Errorf("%s %s lacks a visible check's title:\n%s", lang, name, doc)
				}
				after := at.After(due)
				if strings.Contains(doc, "ACT-later") != after {
					t.Errorf("%s %s at %s: shows the after_due check's actual value: %v", lang, name, at, !after)
				}
				// The phrase is translated where it is read.
				if want := map[string]string{"en": `stdout contains "later"`, "nl": `stdout bevat "later"`}[lang]; after && name != "result.json" && !strings.Contains(doc, want) {
					t.Errorf("%s %s lacks the translated expectation %s:\n%s", lang, name, want, doc)
				}
			}
		}
	}
	md, _ := os.ReadFile(filepath.Join(func() string {
		out := t.TempDir()
		c.Lang = "nl"
		c.writeReport(out, c.Results[0], due)
		return out
	}(), "bob", "report", "report.md"))
	if !strings.Contains(string(md), "## Beoordeling") || !strings.Contains(string(md), "6 van 9 (66,7%)") {
		t.Errorf("Dutch feedback section:\n%s", md)
	}
	overview, err := c.Overview()
	if err != nil || !strings.Contains(string(overview), `lang="nl"`) || !strings.Contains(string(overview), "Cijfers") {
		t.Errorf("overview: %v\n%s", err, overview)
	}
}

func TestSimilar(t *testing.T) {
	dir := t.TempDir()
	plan := func(name, src string) *config.Environment {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(src), 0o644)
		return &config.Environment{Plan: &config.Plan{DeclRange: hclRange(p)}}
	}
	a := plan("a.hcl", "plan \"p\" {\n  title = \"x\" # mine\n}\n")
	b := plan("b.hcl", "# copied\nplan \"p\" { title = \"x\" }\n")
	c := plan("c.hcl", "plan \"p\" { title = \"y\" }\n")
	if planHash(a) != planHash(b) || planHash(a) == planHash(c) {
		t.Fatalf("plan hashes: %s %s %s", planHash(a), planHash(b), planHash(c))
	}
	results := []*Result{
		{Student: "ann", PlanHash: planHash(a), DefinitionsHash: "1"},
		{Student: "ben", PlanHash: planHash(b), DefinitionsHash: "2"},
		{Student: "cas", PlanHash: planHash(c), DefinitionsHash: "2"},
	}
	got := strings.Join(similar(results, "en"), "\n")
	if !strings.Contains(got, "ben, cas have equal definitions hashes") || !strings.Contains(got, "ann, ben have equal plans") {
		t.Errorf("warnings:\n%s", got)
	}
	got = strings.Join(similar(results, "nl"), "\n")
	if !strings.Contains(got, "ben, cas hebben dezelfde definities") || !strings.Contains(got, "ann, ben hebben hetzelfde plan") {
		t.Errorf("Dutch warnings:\n%s", got)
	}
}

// TestOverviewDutch: under --lang nl the overview's statuses and
// warnings are Dutch, not the codes and English of grades.json.
func TestOverviewDutch(t *testing.T) {
	c, _ := testClass(time.Time{})
	c.Lang = "nl"
	c.Results[0].PlanHash = "same"
	c.Results = append(c.Results, &Result{Student: "eva", Status: "timed_out", PlanHash: "same"})
	c.Warnings = similar(c.Results, "en")
	html, err := c.Overview()
	if err != nil {
		t.Fatal(err)
	}
	text := string(html)
	for _, want := range []string{">Niet geslaagd<", ">Tijd op<", "hebben hetzelfde plan"} {
		if !strings.Contains(text, want) {
			t.Errorf("overview lacks %q:\n%s", want, text)
		}
	}
	for _, bad := range []string{">failed<", ">timed_out<", " have equal "} {
		if strings.Contains(text, bad) {
			t.Errorf("Dutch overview holds %q", bad)
		}
	}
}

func TestCollect(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "ann"), 0o755)
	os.WriteFile(filepath.Join(dir, "ann", "environment.hcl"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(dir, "Ben de Vries.zip"), []byte("PK"), 0o644)
	os.WriteFile(filepath.Join(dir, "cas.tar.gz"), []byte{0x1f, 0x8b}, 0o644)
	os.WriteFile(filepath.Join(dir, "readme.txt"), []byte("x"), 0o644)
	os.Mkdir(filepath.Join(dir, ".git"), 0o755)
	os.Symlink("/dev/zero", filepath.Join(dir, "dan.tar.gz"))
	os.Symlink("/etc", filepath.Join(dir, "eve"))
	subs, err := Collect(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range subs {
		got = append(got, s.Student+":"+s.Kind)
		if len(s.Hash) != 64 {
			t.Errorf("%s: hash %q", s.Student, s.Hash)
		}
	}
	if strings.Join(got, " ") != "Ben-de-Vries:zip ann:folder cas:tar.gz" {
		t.Errorf("submissions: %v", got)
	}
	h1 := subs[1].Hash
	os.WriteFile(filepath.Join(dir, "ann", "environment.hcl"), []byte("y"), 0o644)
	again, _ := Collect(dir)
	if again[1].Hash == h1 {
		t.Error("a changed file keeps the folder's hash")
	}
}

func hclRange(file string) hcl.Range { return hcl.Range{Filename: file} }

type meterEngine struct {
	*fake.Engine
	use   []engine.DiskUse
	calls *atomic.Int32
}

func (m meterEngine) DiskUsage(context.Context, map[string]string) ([]engine.DiskUse, error) {
	m.calls.Add(1)
	return m.use, nil
}

func disk(kind, name, instance string, mib int64) engine.DiskUse {
	return engine.DiskUse{Kind: kind, Name: name, Labels: map[string]string{engine.LabelInstance: instance}, Bytes: mib << 20}
}

// The disk watcher stops a submission with its largest object past the
// limit; another instance's objects are not its business; it does
// nothing while everything is within the limit or the engine cannot
// measure; the watchers of one engine share its measurements.
func TestWatchDisk(t *testing.T) {
	eng := meterEngine{Engine: fake.New(), calls: &atomic.Int32{}, use: []engine.DiskUse{
		disk("volume", "grade-x_a", "grade-x", 10), disk("container", "grade-x-b", "grade-x", 40),
		disk("volume", "grade-x_c", "grade-x", 30), disk("volume", "grade-y_big", "grade-y", 900),
	}}
	meter := &diskMeter{}
	ctx, stop := context.WithCancelCause(context.Background())
	done := make(chan struct{})
	go func() { watchDisk(ctx, eng, meter, "grade-x", 20<<20, time.Millisecond, stop); close(done) }()
	<-done
	var de *diskError
	if !errors.As(context.Cause(ctx), &de) || de.What != "container grade-x-b" || !strings.Contains(de.Error(), "40 MiB") {
		t.Fatalf("cause %v", context.Cause(ctx))
	}
	if e := overLimit(eng.use, "grade-x", 40<<20); e != nil {
		t.Errorf("within the limit, yet %v", e)
	}
	ctx2, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	watchDisk(ctx2, fake.New(), meter, "grade-x", 1, time.Millisecond, func(err error) { t.Errorf("stopped by an engine that cannot measure: %v", err) })

	eng.calls.Store(0)
	shared := &diskMeter{}
	ctx3, cancel3 := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel3()
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			watchDisk(ctx3, eng, shared, fmt.Sprintf("grade-quiet%d", i), 1<<30, 20*time.Millisecond, func(error) {})
		}()
	}
	wg.Wait()
	if n := eng.calls.Load(); n > 25 { // 50 without sharing
		t.Errorf("5 watchers for 200 ms at 20 ms measured %d times; they do not share", n)
	}
}

// A grade's reason reaches the student's report in its language.
func TestFeedbackReasonTranslated(t *testing.T) {
	c, _ := testClass(time.Time{})
	r := c.Results[0]
	r.Status = TimedOut
	r.because("timed_out", "15m0s")
	if r.Reason != "the submission took longer than --timeout 15m0s" {
		t.Fatalf("English reason: %q", r.Reason)
	}
	for lang, want := range map[string]string{"nl": "de inlevering duurde langer dan --timeout 15m0s", "en": r.Reason} {
		c.Lang = lang
		out := t.TempDir()
		if err := c.writeReport(out, r, time.Now()); err != nil {
			t.Fatal(err)
		}
		md, _ := os.ReadFile(filepath.Join(out, "bob", "report", "report.md"))
		if !strings.Contains(string(md), want) {
			t.Errorf("%s report lacks %q:\n%s", lang, want, md)
		}
	}
}

// A refused submission's feedback is for the student: grade allows no
// unsafe setting whatever --allow says, so the refusal must not advise
// --allow, nor name grade's private copy of the hand-in.
func TestRefuseGivesNoAllowAdvice(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "proeftuin-grade-123", "mo")
	env := &config.Environment{Name: "lab", Dir: dir, Services: []*config.Service{
		{Name: "pc", Privileged: true, Mounts: []*config.Mount{{Bind: "/etc", Target: "/host-etc"}}},
	}}
	diags := refuse(env)
	if len(diags) != 2 {
		t.Fatalf("%d refusals, want 2: %v", len(diags), diags)
	}
	for _, d := range diags {
		if strings.Contains(d.Detail, "--allow") || strings.Contains(d.Detail, dir) {
			t.Errorf("refusal %q advises --allow or names the private copy %s", d.Detail, dir)
		}
	}
	if !strings.Contains(diags[1].Detail, "mounts /etc, which is outside the lab folder") {
		t.Errorf("bind refusal: %q", diags[1].Detail)
	}
}

// A zip made with the Finder ("Compress kantoor") holds the lab's folder
// and __MACOSX with the AppleDouble ._ files: the lab is the folder.
func TestLabRootIgnoresMacOSExtras(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"kantoor/environment.hcl", "__MACOSX/kantoor/._environment.hcl", "._kantoor", ".DS_Store"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := labRoot(dir), filepath.Join(dir, "kantoor"); got != want {
		t.Errorf("labRoot = %s, want %s", got, want)
	}
	// Two real folders: the student must say which, so dir stays.
	os.MkdirAll(filepath.Join(dir, "other"), 0o755)
	if got := labRoot(dir); got != dir {
		t.Errorf("with two folders labRoot = %s, want %s", got, dir)
	}
}

// TestHandInRefusalNamesAHandIn: a plain folder or zip with a link is
// refused as a hand-in; the student made no bundle, so the reason must
// not say "bundle refused".
func TestHandInRefusalNamesAHandIn(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges on Windows")
	}
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "main.hcl"), []byte(`environment "x" {}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(src, "passwd")); err != nil {
		t.Fatal(err)
	}
	zipPath := filepath.Join(t.TempDir(), "ans.zip")
	zf, err := os.Create(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(zf)
	w, _ := zw.Create("main.hcl")
	w.Write([]byte(`environment "x" {}`))
	h := &zip.FileHeader{Name: "passwd"}
	h.SetMode(os.ModeSymlink | 0o777)
	w, _ = zw.CreateHeader(h)
	w.Write([]byte("/etc/passwd"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	zf.Close()
	for _, s := range []*Submission{{Student: "folder", Source: src, Kind: "folder"}, {Student: "zip", Source: zipPath, Kind: "zip"}} {
		err := s.prepare(context.Background(), t.TempDir())
		if !errors.Is(err, bundle.ErrRefused) || !strings.HasPrefix(err.Error(), "hand-in refused: entry \"passwd\"") {
			t.Errorf("%s: error = %v, want a hand-in refusal of passwd", s.Student, err)
		}
	}
}
