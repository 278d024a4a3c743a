package cli

import (
	"io"
	"io/fs"
	"strings"
	"testing"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/clidoc"
)

// TestHelpFilesUsed: every help/*.txt is the description of a command,
// so none is left behind when a command goes.
func TestHelpFilesUsed(t *testing.T) {
	app := newApp(strings.NewReader(""), io.Discard, io.Discard)
	used := map[string]bool{}
	clidoc.Walk(app.Commands, app.Name, func(_ string, cmd *ucli.Command) {
		used[cmd.Description] = true
	})
	files, err := fs.Glob(helpFiles, "help/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no help files: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "help/"), ".txt")
		if !used[help(name)] {
			t.Errorf("%s is no command's description", f)
		}
	}
}
