package cli

import (
	"io"
	"strings"
	"testing"

	"github.com/proeftuin/proeftuin/internal/cmdline"
)

func TestReorderArgs(t *testing.T) {
	app := newApp(strings.NewReader(""), io.Discard, io.Discard)
	for _, tc := range []struct{ in, want string }{
		{"init mylab --from webserver", "init --from webserver -- mylab"},
		{"bundle import lab.tar.gz --force", "bundle import --force -- lab.tar.gz"},
		{"bundle import lab.tar.gz dir --max-lab-size 1G", "bundle import --max-lab-size 1G -- lab.tar.gz dir"},
		{"fmt environment.hcl --check", "fmt --check -- environment.hcl"},
		{"fmt -- --check", "fmt -- --check"},
		{"fmt a.hcl -- --check --diff", "fmt -- a.hcl --check --diff"},
		// Global flags, before and after the command; values kept with
		// their flags, "=" values alone.
		{"--dir lab up --name x", "--dir lab up --name x"},
		{"run plan-a --name=x --dir lab", "run --name=x --dir lab -- plan-a"},
		{"-C lab lab verify webserver --var a=1", "-C lab lab verify --var a=1 -- webserver"},
		// A bool flag takes no value: the next word stays an argument.
		{"init --force mylab", "init --force -- mylab"},
		// Unknown commands and subcommands are left to be reported.
		{"valdate x --y", "valdate x --y"},
		{"bundle improt x --force", "bundle improt x --force"},
		// The probe parses its own flags.
		{"probe tcp --address a:1 --json", "probe tcp --address a:1 --json"},
		// Help on the command, whatever the arguments.
		{"lab verify webserver --help", "lab verify --help"},
		// exec: the service's command line is kept as written.
		{"exec web sh -c ls -l", "exec -- web sh -c ls -l"},
		{"exec -it web -- sh -x", "exec -it -- web -- sh -x"}, // runExec drops the second "--"
		{"exec web --user root ls -l", "exec --user root -- web ls -l"},
		{"exec web -u root -- id -u", "exec -u root -- web -- id -u"},
		{"", ""},
	} {
		in := append([]string{"proeftuin"}, strings.Fields(tc.in)...)
		got := strings.Join(cmdline.Reorder(app, in, verbatimAfter)[1:], " ")
		if got != tc.want {
			t.Errorf("reorderArgs(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
