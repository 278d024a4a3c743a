package check

import (
	"strings"
	"testing"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/phrase"
	"github.com/proeftuin/proeftuin/internal/probe"
)

// TestExecDetailNotTwice: a stream that what-was-found already quotes
// whole is not repeated in the detail (a report showed the same stderr
// twice in one cell); a longer one, cut in the finding, is.
func TestExecDetailNotTwice(t *testing.T) {
	short := `nginx: [emerg] unknown directive "servr"`
	res := engine.ExecResult{ExitCode: 1, Stdout: []byte("config test\n"), Stderr: []byte(short + "\n")}
	shown := phrase.Of(phrase.P("exit_code", "1"), phrase.P("stderr_was", probe.Excerpt(short, 160)))
	if got := execDetail(res, shown); got != "stdout: config test" {
		t.Errorf("detail = %q, want only the stdout the finding does not show", got)
	}
	if got := execDetail(res, nil); !strings.Contains(got, "stderr: "+short) {
		t.Errorf("detail without a finding = %q, want the stderr", got)
	}
	long := strings.Repeat("x", 300)
	res = engine.ExecResult{ExitCode: 1, Stderr: []byte(long)}
	shown = phrase.Of(phrase.P("stderr_was", probe.Excerpt(long, 160)))
	if got := execDetail(res, shown); !strings.HasPrefix(got, "stderr: ") || len(got) < 300 {
		t.Errorf("detail of a long stderr = %q, want it whole", got)
	}
	res = engine.ExecResult{Stderr: []byte(short)}
	if got := execDetail(res, phrase.Of(phrase.P("stderr_was", short))); got != "" {
		t.Errorf("detail = %q, want none when the finding shows everything", got)
	}
}

// TestStaysStopped: only a service whose restart policy is "no" (or
// unset) is known to stay stopped; an unknown service or environment is
// waited for.
func TestStaysStopped(t *testing.T) {
	r := &Runner{Env: &config.Environment{Services: []*config.Service{
		{Name: "once"}, {Name: "no", Restart: "no"}, {Name: "always", Restart: "always"},
		{Name: "failure", Restart: "on-failure"}, {Name: "unless", Restart: "unless-stopped"},
	}}}
	for svc, want := range map[string]bool{"once": true, "no": true, "always": false, "failure": false, "unless": false, "ghost": false} {
		if got := r.staysStopped(svc); got != want {
			t.Errorf("staysStopped(%s) = %v, want %v", svc, got, want)
		}
	}
	if (&Runner{}).staysStopped("once") {
		t.Error("without an environment a stopped service is assumed to stay stopped")
	}
}
