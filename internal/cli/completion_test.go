package cli

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestComplete(t *testing.T) {
	app := newApp(strings.NewReader(""), io.Discard, io.Discard)
	instances := func() []string { return []string{"lab-a", "lab-b", "other"} }
	for _, tc := range []struct {
		words, cur string
		want       []string
	}{
		{"", "st", []string{"status"}},
		{"up --name", "lab", []string{"lab-a", "lab-b"}},
		{"--name", "o", []string{"other"}},
		{"--name x up", "--na", []string{"--name"}},
		{"up --dir", "", nil}, // a folder: the shell completes it
		{"init --from", "web", []string{"webserver"}},
	} {
		got := complete(app, strings.Fields(tc.words), tc.cur, instances)
		if !slices.Equal(got, tc.want) {
			t.Errorf("complete(%q, %q) = %q, want %q", tc.words, tc.cur, got, tc.want)
		}
	}
}

// TestCompletionScriptsParse: the bash and zsh scripts are valid for the
// shells that are installed here.
func TestCompletionScriptsParse(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		path, err := exec.LookPath(sh)
		if err != nil {
			continue
		}
		f := filepath.Join(t.TempDir(), "c."+sh)
		os.WriteFile(f, []byte(completionScripts[sh]), 0o644)
		if out, err := exec.Command(path, "-n", f).CombinedOutput(); err != nil {
			t.Errorf("%s -n: %v\n%s", sh, err, out)
		}
	}
}
