package graph

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/graph/graphtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

func TestGolden(t *testing.T) {
	g := Build(graphtest.Webshop())
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			var sb strings.Builder
			if err := Write(&sb, g, format); err != nil {
				t.Fatal(err)
			}
			golden(t, "webshop."+format+".golden", sb.String())
		})
	}
	t.Run("svg", func(t *testing.T) {
		golden(t, "webshop.svg.golden", SVG(g))
	})
}

func TestDeterministic(t *testing.T) {
	first := Build(graphtest.Webshop()).Mermaid()
	for range 20 {
		if got := Build(graphtest.Webshop()).Mermaid(); got != first {
			t.Fatal("Mermaid output differs between runs")
		}
	}
}

func TestUnknownFormat(t *testing.T) {
	if err := Write(&strings.Builder{}, Build(graphtest.Webshop()), "png"); err == nil {
		t.Error("Write(png) succeeded")
	}
}

func TestIDsStayUnique(t *testing.T) {
	env := &config.Environment{Name: `we"ird`, Services: []*config.Service{{Name: "web-1", Image: `x"y`}, {Name: "web_1", Image: "z"}}}
	g := Build(env)
	if g.Nodes[0].ID == g.Nodes[1].ID {
		t.Errorf("duplicate id %s", g.Nodes[0].ID)
	}
	if m := g.Mermaid(); !strings.Contains(m, `x#quot;y`) {
		t.Errorf("quote not escaped in Mermaid:\n%s", m)
	}
	if d := g.DOT(); !strings.Contains(d, `digraph "we\"ird"`) || !strings.Contains(d, `x\"y`) {
		t.Errorf("quote not escaped in DOT:\n%s", d)
	}
}

func TestNoSecrets(t *testing.T) {
	g := Build(graphtest.Webshop())
	for _, s := range []string{g.Mermaid(), g.DOT(), SVG(g)} {
		if strings.Contains(s, graphtest.Secret) {
			t.Errorf("secret in output:\n%s", s)
		}
	}
}
