package cli

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/proeftuin/proeftuin/internal/clidoc"
	ucli "github.com/urfave/cli/v2"
)

var updateCLIDocs = flag.Bool("update-cli-docs", false, "rewrite docs/cli.md from the command definitions")

// TestCLIDocsCurrent fails when docs/cli.md does not match the command
// definitions. `make docs` rewrites it.
func TestCLIDocsCurrent(t *testing.T) {
	path := filepath.Join("..", "..", filepath.FromSlash(CLIDocsPath))
	want := CLIDocs()
	if *updateCLIDocs {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v; run 'make docs'", err)
	}
	if string(got) != want {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(want, "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s is stale: run 'make docs' (go generate ./internal/cli)\nfirst difference at line %d:\n  file:      %q\n  generated: %q", CLIDocsPath, i+1, g, w)
			}
		}
	}
}

// TestCLIDocsCoverEveryCommandAndFlag: every visible command and each of
// its own flags appears in the reference.
func TestCLIDocsCoverEveryCommandAndFlag(t *testing.T) {
	docs := CLIDocs()
	app := newApp(strings.NewReader(""), nil, nil)
	clidoc.Walk(app.Commands, app.Name, func(path string, cmd *ucli.Command) {
		if !strings.Contains(docs, "## "+path+"\n") {
			t.Errorf("no section for %s", path)
		}
		for _, f := range clidoc.OwnFlags(cmd.Flags) {
			if !strings.Contains(docs, "`--"+f.Names()[0]) {
				t.Errorf("%s: flag --%s missing", path, f.Names()[0])
			}
		}
	})
	for _, f := range app.Flags {
		if !strings.Contains(docs, "`--"+f.Names()[0]) {
			t.Errorf("global flag --%s missing", f.Names()[0])
		}
	}
}
