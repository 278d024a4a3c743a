package labs

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/proeftuin/proeftuin/environments"
	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/testenv"
)

// wantLabs is the standard catalogue. A lab added to environments/ must be
// added here (and to the go:embed line in environments/embed.go).
var wantLabs = []string{"directory", "fileserver", "hello", "monitoring", "netwerk", "webserver"}

func TestCatalogueNames(t *testing.T) {
	names, err := Names(environments.FS)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(names, wantLabs) {
		t.Fatalf("embedded labs = %v, want %v", names, wantLabs)
	}
	// Every folder of environments/ is embedded.
	entries, err := os.ReadDir(filepath.Join(testenv.RepoRoot(), "environments"))
	if err != nil {
		t.Fatal(err)
	}
	var onDisk []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			onDisk = append(onDisk, e.Name())
		}
	}
	if !slices.Equal(onDisk, wantLabs) {
		t.Fatalf("folders in environments/ = %v, want %v (embed them in environments/embed.go)", onDisk, wantLabs)
	}
}

var (
	argBase  = regexp.MustCompile(`(?m)^ARG BASE_IMAGE(=\S+)?\s*$`)
	fromBase = regexp.MustCompile(`(?m)^FROM \$\{BASE_IMAGE\}\s*$`)
)

// TestLabsValidate loads every lab from its folder, as `proeftuin
// validate` does (no engine), and checks the catalogue's rules.
func TestLabsValidate(t *testing.T) {
	for _, name := range wantLabs {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(testenv.RepoRoot(), "environments", name)
			env, diags := config.Load(config.Options{Dir: dir})
			for _, d := range diags {
				t.Errorf("%s", d.Error())
			}
			if diags.HasErrors() {
				return
			}
			if env.Name != name {
				t.Errorf("environment name %q, want the folder's name %q", env.Name, name)
			}
			if env.Title == "" {
				t.Error("the environment has no title")
			}
			if name == "hello" {
				checkHello(t, env, dir)
				return
			}
			if env.Plan == nil || len(env.Steps) < 5 {
				t.Errorf("want a plan of at least five steps, have %d", len(env.Steps))
			}
			problems, _ := Lint(env)
			for _, p := range problems {
				t.Error(p)
			}
			var base *config.Variable
			for _, v := range env.Variables {
				if v.Name == "base_image" {
					base = v
				}
			}
			if base == nil {
				t.Error(`no variable "base_image"`)
			} else if base.Value != `"debian:bookworm-slim"` || base.Source != "default" {
				t.Errorf(`variable base_image = %s (%s), want the default "debian:bookworm-slim"`, base.Value, base.Source)
			}
			for _, s := range env.Services {
				if s.Build == nil {
					t.Errorf("service %s: want a build from images/ (every service runs software from Debian packages)", s.Name)
					continue
				}
				if s.Build.Args["BASE_IMAGE"] != "debian:bookworm-slim" {
					t.Errorf("service %s: build arg BASE_IMAGE = %q, want var.base_image", s.Name, s.Build.Args["BASE_IMAGE"])
				}
			}
			for _, f := range []string{"environment.hcl", "plan.hcl", "README.md", "files"} {
				if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
					t.Errorf("missing %s", f)
				}
			}
			dockerfiles, _ := filepath.Glob(filepath.Join(dir, "images", "*", "Dockerfile"))
			if len(dockerfiles) == 0 {
				t.Error("no images/<service>/Dockerfile")
			}
			for _, df := range dockerfiles {
				data, err := os.ReadFile(df)
				if err != nil {
					t.Fatal(err)
				}
				s := string(data)
				if !argBase.MatchString(s) || !fromBase.MatchString(s) {
					t.Errorf("%s: want ARG BASE_IMAGE and FROM ${BASE_IMAGE}", df)
				}
				if strings.Contains(s, "apt-get install") && (!strings.Contains(s, "--no-install-recommends") || !strings.Contains(s, "rm -rf /var/lib/apt/lists")) {
					t.Errorf("%s: install with --no-install-recommends and remove /var/lib/apt/lists", df)
				}
			}
			readme, _ := os.ReadFile(filepath.Join(dir, "README.md"))
			for _, want := range []string{"Nederlands", "English"} {
				if !strings.Contains(string(readme), want) {
					t.Errorf("README.md has no %s section", want)
				}
			}
		})
	}
}

func TestCatalogue(t *testing.T) {
	list, err := Catalogue(environments.FS)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(wantLabs) {
		t.Fatalf("%d labs, want %d", len(list), len(wantLabs))
	}
	for _, l := range list {
		minSteps := 5 // a complete assignment; hello is the first taste
		if l.Name == "hello" {
			minSteps = 1
		}
		if l.Title == "" || len(l.Services) == 0 || l.Requirements == 0 || l.Must == 0 || l.Steps < minSteps {
			t.Errorf("lab %s: %+v", l.Name, l)
		}
	}
}

func TestExtract(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "mijn-webserver")
	if err := Extract(environments.FS, "webserver", dest); err != nil {
		t.Fatal(err)
	}
	// The copy is the lab, file for file.
	err := fs.WalkDir(environments.FS, "webserver", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		want, _ := fs.ReadFile(environments.FS, p)
		got, err := os.ReadFile(filepath.Join(dest, strings.TrimPrefix(p, "webserver/")))
		if err != nil {
			return err
		}
		if string(got) != string(want) {
			t.Errorf("%s differs", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(dest, "images", "web", "entrypoint.sh")); err != nil || fi.Mode().Perm()&0o100 == 0 {
		t.Errorf("entrypoint.sh is not executable: %v %v", fi, err)
	}
	if _, diags := config.Load(config.Options{Dir: dest}); diags.HasErrors() {
		t.Fatal(diags)
	}
	// A second time into the same folder is refused.
	if err := Extract(environments.FS, "webserver", dest); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("extract into a non-empty folder: %v", err)
	}
	if err := Extract(environments.FS, "nope", filepath.Join(t.TempDir(), "x")); err == nil {
		t.Fatal("extract of an unknown lab: no error")
	}
	// An existing empty folder is fine.
	empty := t.TempDir()
	if err := Extract(environments.FS, "netwerk", empty); err != nil {
		t.Fatal(err)
	}
}

// checkHello holds hello to its own rules: the first lab needs only the
// binary, so its services run a small public image with a pinned tag,
// behind the variable "image" (tests and offline users give a local one).
func checkHello(t *testing.T, env *config.Environment, dir string) {
	t.Helper()
	if env.Plan == nil || len(env.Steps) == 0 {
		t.Error("hello has no plan")
	}
	problems, _ := Lint(env)
	for _, p := range problems {
		t.Error(p)
	}
	var image *config.Variable
	for _, v := range env.Variables {
		if v.Name == "image" {
			image = v
		}
	}
	if image == nil || !regexp.MustCompile(`^"busybox:\d+\.\d+\.\d+"$`).MatchString(image.Value) {
		t.Fatalf("variable image = %+v, want a default busybox image with a pinned version tag", image)
	}
	for _, s := range env.Services {
		if s.Build != nil || s.Image != strings.Trim(image.Value, `"`) {
			t.Errorf("service %s: image %q, want var.image", s.Name, s.Image)
		}
	}
	readme, _ := os.ReadFile(filepath.Join(dir, "README.md"))
	for _, want := range []string{"Nederlands", "English"} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("README.md has no %s section", want)
		}
	}
}

// TestCatalogueFaults: each lab of the catalogue (hello aside) has at
// least two faults of different categories, with a ticket in Dutch and
// in English, recovered checks and a solution (issue 15, part E).
func TestCatalogueFaults(t *testing.T) {
	for _, name := range wantLabs {
		if name == "hello" {
			continue
		}
		env, diags := config.Load(config.Options{Dir: filepath.Join(testenv.RepoRoot(), "environments", name)})
		if diags.HasErrors() {
			t.Fatalf("%s: %v", name, diags)
		}
		categories := map[string]bool{}
		for _, f := range env.Faults {
			categories[f.Category] = true
			if f.Ticket["nl"] == "" || f.Ticket["en"] == "" {
				t.Errorf("%s: fault %s: want a ticket in nl and en, have %v", name, f.ID, f.Ticket)
			}
			if len(f.RecoveredChecks)+len(f.RecoveredOwn) == 0 || len(f.Solution) == 0 {
				t.Errorf("%s: fault %s: want recovered checks and a solution", name, f.ID)
			}
		}
		if len(env.Faults) < 2 || len(categories) < 2 {
			t.Errorf("%s: %d faults in %d categories, want at least two of different categories", name, len(env.Faults), len(categories))
		}
	}
}
