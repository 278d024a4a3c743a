//go:build reliability

package reliability

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/testenv"
)

// hostileCase is one malformed or hostile environment definition.
type hostileCase struct {
	name string
	dir  string
	// want is "file:line:col: Summary" from internal/config's want.txt, or
	// "" when only a position is required.
	want string
}

// hostileCases gathers internal/config/testdata/invalid (the loader's
// cases), testdata/hostile (the categories those cover thinly) and a few
// generated here because they are too big to keep in the repository.
func hostileCases(t *testing.T) []hostileCase {
	t.Helper()
	var cases []hostileCase
	dirs, _ := filepath.Glob(filepath.Join(testenv.RepoRoot(), "internal", "config", "testdata", "invalid", "*"))
	for _, d := range dirs {
		want, _ := os.ReadFile(filepath.Join(d, "want.txt"))
		// The first line is the diagnostic; further lines are fragments
		// of its detail, which internal/config's own test checks.
		first, _, _ := strings.Cut(strings.TrimSpace(string(want)), "\n")
		if strings.HasPrefix(first, "warning ") {
			continue // a warning only: the definition is valid
		}
		cases = append(cases, hostileCase{name: "config/" + filepath.Base(d), dir: d, want: first})
	}
	here, err := filepath.Abs(filepath.Join("testdata", "hostile"))
	if err != nil {
		t.Fatal(err)
	}
	dirs, _ = filepath.Glob(filepath.Join(here, "*"))
	for _, d := range dirs {
		cases = append(cases, hostileCase{name: "hostile/" + filepath.Base(d), dir: d})
	}
	gen := t.TempDir()
	add := func(name, src string) {
		d := filepath.Join(gen, name)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "main.hcl"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, hostileCase{name: "generated/" + name, dir: d})
	}
	svc := "environment \"t\" {}\nservice \"web\" {\n  image = \"proeftuin/busybox:1\"\n"
	// The loader refuses these before HCL's parser sees them (file size,
	// bytes that are not text, nesting), or bounds their evaluation.
	add("huge-file-garbage", strings.Repeat("\x01garbage;;\n", 400_000)) // 4.8 MB
	add("garbage-text-900KiB", strings.Repeat("garbage;; ", 90_000))     // text, under the size limit
	add("unclosed-braces-16k", strings.Repeat("x {", 16_000))
	add("deep-nesting-16k", svc+"  command = "+strings.Repeat("[", 16_000)+"\n}\n") // unclosed
	add("deep-parens-2k", svc+"  x = "+strings.Repeat("(", 2_000)+"1"+strings.Repeat(")", 2_000)+"\n}\n")
	add("deep-interpolation-1k", svc+"  command = ["+strings.Repeat(`"${`, 1_000)+"1"+strings.Repeat(`}"`, 1_000)+"]\n}\n")
	add("long-identifier-1MiB", "environment \"t\" {}\nservice \""+strings.Repeat("a", 1<<20)+"\" {\n  image = \"proeftuin/busybox:1\"\n}\n")
	add("long-string-900KiB-wrong-type", svc+"  port {\n    container = \""+strings.Repeat("x", 900<<10)+"\"\n  }\n}\n")
	var b strings.Builder
	b.WriteString("environment \"t\" {}\n")
	for i := range 20_000 {
		fmt.Fprintf(&b, "service \"s\" {\n  image = \"proeftuin/busybox:1\"\n  # %d\n}\n", i)
	}
	add("duplicate-service-20k", b.String())
	// A billion laughs: every local doubles the one before (2^40 × 16 bytes).
	b.Reset()
	b.WriteString("environment \"t\" {}\nlocals {\n  l0 = \"xxxxxxxxxxxxxxxx\"\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "  l%d = \"${local.l%d}${local.l%d}\"\n", i, i-1, i-1)
	}
	b.WriteString("}\n" + svc + "  command = [local.l40]\n}\n")
	add("billion-laughs-locals", b.String())
	add("nested-for-1e9", svc+"  command = flatten([for i in range(1000): [for j in range(1000): [for k in range(1000): \"x\"]]])\n}\n")
	add("templatefile-sibling-lab", svc+"  command = [templatefile(\"../garbage-lines/main.hcl\", {})]\n}\n")
	return cases
}

var diagPosition = regexp.MustCompile(`[\w./-]+\.(hcl|tpl):\d+:\d+`)

// TestHostileInput runs `up` on every hostile definition with DOCKER_HOST
// at a recording faultproxy: each exits 2 with a diagnostic that names
// file:line:col, none panics, and the engine sees no request at all.
func TestHostileInput(t *testing.T) {
	needEngine(t) // the binary is built in TestMain
	t.Parallel()
	p := newProxy(t)
	// Should a case pass validation, up would create this instance.
	t.Cleanup(func() { cleanupInstance(t, "rel-hostile") })
	cases := hostileCases(t)
	if len(cases) < 100 {
		t.Fatalf("%d hostile cases, want at least 100", len(cases))
	}
	type outcome struct {
		c hostileCase
		r result
	}
	out := make([]outcome, len(cases))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i, c := range cases {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			r := do(t, invocation{dir: t.TempDir(), env: []string{"DOCKER_HOST=" + p.Host()},
				args: []string{"--dir", c.dir, "--name", "rel-hostile", "up"}})
			out[i] = outcome{c, r}
		}()
	}
	wg.Wait()
	codes := map[int]int{}
	var slowest, biggest outcome
	for _, o := range out {
		c, r := o.c, o.r
		codes[r.Code]++
		if r.Took > slowest.r.Took {
			slowest = o
		}
		if r.MaxRSS > biggest.r.MaxRSS {
			biggest = o
		}
		// The loader bounds evaluation at 512 MiB and 15 s
		// (internal/cli evalMemoryLimit, evalTimeLimit).
		if r.MaxRSS > 1<<20 {
			t.Errorf("%s: peak RSS %d MiB, want under 1 GiB", c.name, r.MaxRSS>>10)
		}
		if strings.Contains(r.Stderr, "panic:") || strings.Contains(r.Stderr, "goroutine ") {
			t.Errorf("%s: panic\n%s", c.name, trim(r.Stderr))
			continue
		}
		if r.Code != 2 {
			t.Errorf("%s: exit %d, want 2\n%s", c.name, r.Code, trim(r.Stderr))
			continue
		}
		if c.want != "" && !strings.HasPrefix(c.want, "-:") {
			pos, summary, _ := strings.Cut(c.want, ": ")
			if !strings.Contains(r.Stderr, pos) || !strings.Contains(r.Stderr, summary) {
				t.Errorf("%s: the diagnostic lacks %q\n%s", c.name, c.want, trim(r.Stderr))
			}
		} else if c.want != "" {
			// The loader's case has no source range (no environment block
			// at all): the summary must be there.
			if _, summary, _ := strings.Cut(c.want, ": "); !strings.Contains(r.Stderr, summary) {
				t.Errorf("%s: the diagnostic lacks %q\n%s", c.name, summary, trim(r.Stderr))
			}
		} else if !diagPosition.MatchString(r.Stderr) {
			t.Errorf("%s: the diagnostic names no file:line:col\n%s", c.name, trim(r.Stderr))
		}
	}
	if st := p.Stats(); st.Accepted != 0 || len(p.Requests()) != 0 {
		t.Errorf("the engine was contacted: %+v, %v", st, p.Requests())
	}
	keys := make([]int, 0, len(codes))
	for k := range codes {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	t.Logf("%d hostile definitions; exit codes %v; engine connections %d; slowest %s (%s); largest %s (peak RSS %d MiB)",
		len(cases), codes, p.Stats().Accepted, slowest.c.name, slowest.r.Took.Round(time.Millisecond), biggest.c.name, biggest.r.MaxRSS>>10)
}

// trim shortens output for a failure message.
func trim(s string) string {
	if len(s) > 2000 {
		return s[:1000] + "\n…\n" + s[len(s)-1000:]
	}
	return s
}
