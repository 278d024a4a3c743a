package grade

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/bundle"
	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/engine/fake"
	"github.com/proeftuin/proeftuin/internal/subnet"
)

const fakeLab = `environment "lab" {}

network "lan" {
  subnet = "auto"
}

service "web" {
  image   = "proeftuin/busybox:1"
  command = ["httpd", "-f"]
  network "lan" {}
}

plan "p" {}

step "one" {
  exec {
    service = service.web
    command = ["true"]
  }
}
`

func fakeEngine() *fake.Engine {
	eng := fake.New()
	eng.SetImage("proeftuin/busybox:1", "sha256:busybox")
	eng.AddNetwork(engine.Network{Name: "bridge", Subnets: []string{"172.17.0.0/16"}})
	return eng
}

// An engine that stops answering gets no more submissions: those placed
// there are graded again on the other one. Nothing is left on the
// engine that graded them.
func TestGradeMovesOffAFailedEngine(t *testing.T) {
	t.Setenv(subnet.EnvPool, "")
	subs := t.TempDir()
	for _, s := range []string{"ann", "ben", "cas"} {
		os.MkdirAll(filepath.Join(subs, s), 0o755)
		os.WriteFile(filepath.Join(subs, s, "environment.hcl"), []byte(fakeLab), 0o644)
	}
	dead, good := fakeEngine(), fakeEngine()
	boom := errors.New("connection refused")
	for _, m := range []string{"Info", "Containers", "Networks", "Volumes", "CreateNetwork", "CreateContainer"} {
		dead.FailOn(m, "", boom)
	}
	out := t.TempDir()
	class, err := Grade(context.Background(), Options{
		Engines:     []Engine{{Name: "dead", Engine: dead}, {Name: "good", Engine: good}},
		Rubric:      &config.Rubric{Name: "r", Points: map[string]int{}},
		Submissions: subs,
		Out:         out,
		Parallel:    2,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(class.Results) != 3 {
		t.Fatalf("%d results", len(class.Results))
	}
	for _, r := range class.Results {
		if r.Engine != "good" || r.Status != Passed {
			t.Errorf("%s: %s on %s (%s)", r.Student, r.Status, r.Engine, r.Reason)
		}
	}
	for _, s := range []string{"ann", "ben", "cas"} {
		cs, _ := good.Containers(context.Background(), engine.Instance("grade-"+s))
		ns, _ := good.Networks(context.Background(), engine.Instance("grade-"+s))
		if len(cs)+len(ns) != 0 {
			t.Errorf("grade-%s left %d containers and %d networks", s, len(cs), len(ns))
		}
	}
}

// Hostile HCL (a "billion laughs" of locals) is graded invalid, within
// the evaluation limits, and the submission beside it is graded as if it
// were not there.
func TestGradeHostileHCL(t *testing.T) {
	t.Setenv(subnet.EnvPool, "")
	subs := t.TempDir()
	var b strings.Builder
	b.WriteString("environment \"t\" {}\nlocals {\n  l0 = \"xxxxxxxxxxxxxxxx\"\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "  l%d = \"${local.l%d}${local.l%d}\"\n", i, i-1, i-1)
	}
	b.WriteString("}\nservice \"web\" {\n  image   = \"proeftuin/busybox:1\"\n  command = [local.l40]\n}\n")
	for name, src := range map[string]string{"evil": b.String(), "good": fakeLab} {
		os.MkdirAll(filepath.Join(subs, name), 0o755)
		os.WriteFile(filepath.Join(subs, name, "environment.hcl"), []byte(src), 0o644)
	}
	eng := fakeEngine()
	class, err := Grade(context.Background(), Options{
		Engines:     []Engine{{Name: "fake", Engine: eng}},
		Rubric:      &config.Rubric{Name: "r", Points: map[string]int{}},
		Submissions: subs,
		Out:         t.TempDir(),
		Config:      config.Options{MemoryLimit: 64 << 20, TimeLimit: 10 * time.Second},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*Result{}
	for _, r := range class.Results {
		got[r.Student] = r
	}
	if r := got["evil"]; r == nil || r.Status != Invalid || !strings.Contains(r.Diagnostics, "Value too large") {
		t.Errorf("evil: %+v", r)
	}
	if r := got["good"]; r == nil || r.Status != Passed {
		t.Errorf("good: %+v", r)
	}
	if n := eng.Calls("CreateContainer"); n != 1 {
		t.Errorf("%d containers created, want 1 (only the good one)", n)
	}
}

// A submission without a service the rubric requires is failed, not an
// error: the hidden check on that service earns nothing, the others run.
func TestGradeMissingService(t *testing.T) {
	t.Setenv(subnet.EnvPool, "")
	subs := t.TempDir()
	os.MkdirAll(filepath.Join(subs, "ann"), 0o755)
	os.WriteFile(filepath.Join(subs, "ann", "environment.hcl"), []byte(fakeLab), 0o644)
	rubric := filepath.Join(t.TempDir(), "grading.hcl")
	os.WriteFile(rubric, []byte(`rubric "r" {}
requires {
  services = ["web", "db"]
}
check "on-web" {
  points = 2
  exec {
    service = service.web
    command = ["true"]
  }
}
check "on-db" {
  points = 3
  exec {
    service = service.db
    command = ["true"]
  }
}
`), 0o644)
	rub, diags := config.LoadRubric(rubric)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	class, err := Grade(context.Background(), Options{
		Engines: []Engine{{Name: "fake", Engine: fakeEngine()}}, Rubric: rub, Submissions: subs, Out: t.TempDir(),
	})
	if err != nil {
		t.Fatal(err)
	}
	r := class.Results[0]
	if r.Status != Failed || r.Points != 2 || r.MaxPoints != 5 || strings.Join(r.Missing, ",") != "service db" {
		t.Errorf("%s %d/%d missing %v (%s)", r.Status, r.Points, r.MaxPoints, r.Missing, r.Reason)
	}
	if c := r.check("on-db"); c.Points != 0 || c.Status == "passed" {
		t.Errorf("check on the missing service: %+v", c)
	}
}

// A bundle's images are loaded into the engine that grades it, once: a
// second bundle with the same images loads nothing, and one whose image
// has the name of another image on the engine is refused and changes
// nothing.
func TestGradeLoadsBundleImages(t *testing.T) {
	ctx := context.Background()
	src := fake.New()
	src.SetImage("student/web:1", "sha256:aaaa")
	rc, err := src.SaveImages(ctx, []string{"student/web:1"})
	if err != nil {
		t.Fatal(err)
	}
	tarPath := filepath.Join(t.TempDir(), "images.tar")
	f, _ := os.Create(tarPath)
	io.Copy(f, rc)
	f.Close()
	s := &Submission{Student: "ann", Images: tarPath, BundleImages: []bundle.Image{{Ref: "student/web:1", ID: "sha256:aaaa"}}}

	eng := fakeEngine()
	o := &Options{}
	mu := newChanMutex()
	if err := o.loadImages(ctx, eng, mu, s); err != nil {
		t.Fatal(err)
	}
	if id, _ := eng.ImageID(ctx, "student/web:1"); id != "sha256:aaaa" {
		t.Fatalf("after loading: %q", id)
	}
	if err := o.loadImages(ctx, eng, mu, s); err != nil || eng.Calls("LoadImages") != 1 {
		t.Errorf("second bundle with the same images: %v, %d loads", err, eng.Calls("LoadImages"))
	}

	other := fakeEngine()
	other.SetImage("student/web:1", "sha256:bbbb")
	err = o.loadImages(ctx, other, newChanMutex(), s)
	if !errors.Is(err, errImageClash) || other.Calls("LoadImages") != 0 {
		t.Errorf("clash: %v, %d loads", err, other.Calls("LoadImages"))
	}
	if id, _ := other.ImageID(ctx, "student/web:1"); id != "sha256:bbbb" {
		t.Errorf("the engine's image was replaced: %q", id)
	}
}
