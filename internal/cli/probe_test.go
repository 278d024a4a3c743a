package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"net"
	"testing"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/probe"
)

func TestProbeCommand(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()

	run := func(args ...string) (string, error) {
		var out, errb bytes.Buffer
		app := &ucli.App{
			Name: "proeftuin", Writer: &out, ErrWriter: &errb,
			Commands:       []*ucli.Command{probeCommand()},
			ExitErrHandler: func(*ucli.Context, error) {},
		}
		err := app.Run(append([]string{"proeftuin", "probe"}, args...))
		return out.String(), err
	}

	// Flags after the kind reach probe.Main untouched.
	out, err := run("tcp", "--json", "--address", addr, "--reachable=false")
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	var res probe.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil || !res.OK || res.Actual != "connection refused" {
		t.Fatalf("output %q: %+v %v", out, res, err)
	}

	// An unmet expectation still prints the result, and exits 1.
	out, err = run("tcp", "--json", "--address", addr)
	var ee *exitError
	if !errors.As(err, &ee) || ee.Code != ExitFailed || ee.Err != nil {
		t.Fatalf("unmet: %v", err)
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.OK {
		t.Fatalf("output %q: %+v %v", out, res, err)
	}

	if _, err := run("bogus"); !errors.As(err, &ee) || ee.Code != ExitInvalid {
		t.Fatalf("bogus kind: %v", err)
	}
	if !probeCommand().Hidden {
		t.Fatal("probe command is not hidden")
	}
}
