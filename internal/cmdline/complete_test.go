package cmdline

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestCompletionScriptsParse: the bash and zsh scripts are valid for the
// shells that are installed here.
func TestCompletionScriptsParse(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		path, err := exec.LookPath(sh)
		if err != nil {
			continue
		}
		f := filepath.Join(t.TempDir(), "c."+sh)
		os.WriteFile(f, []byte(Script(sh)), 0o644)
		if out, err := exec.Command(path, "-n", f).CombinedOutput(); err != nil {
			t.Errorf("%s -n: %v\n%s", sh, err, out)
		}
	}
}
