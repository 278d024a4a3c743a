package check

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/phrase"
	"github.com/proeftuin/proeftuin/internal/probe"
	"github.com/proeftuin/proeftuin/internal/redact"
	"github.com/proeftuin/proeftuin/internal/report"
)

// runExec runs the command in the service's own container (it must have
// the program) and compares exit code and output.
func (r *Runner) runExec(ctx context.Context, p *config.ExecProbe) Outcome {
	o := expecting(ExpectPhrases(p.Expect))
	matchers, err := compileExpect(p.Expect)
	if err != nil {
		return errorOutcome(o, err)
	}
	if len(p.Command) == 0 {
		return errorOutcome(o, fmt.Errorf("exec check has no command"))
	}
	c, err := r.runningContainer(ctx, p.Service)
	if err != nil {
		return errorOutcome(o, err)
	}
	spec := engine.ExecSpec{
		Command: p.Command,
		User:    p.User,
		WorkDir: p.WorkDir,
		Env:     envList(p.Env),
	}
	// The expectation is matched over the whole output as it streams;
	// only the stored copy is capped (ExecSpec.OutputLimit).
	exec := func(id string) (engine.ExecResult, bool, bool, error) {
		out, errs := matchers.streams()
		spec.Stdout, spec.Stderr = out, errs
		res, err := r.Engine.Exec(ctx, id, spec)
		return res, out.resultOr(res.Stdout), errs.resultOr(res.Stderr), err
	}
	res, outOK, errOK, err := exec(c.ID)
	if err != nil && r.lookup().Stale(err) {
		// The listed container is gone or stopped; the exec never
		// started, so find the container anew and run it once more.
		if c, err = r.runningContainer(ctx, p.Service); err != nil {
			return errorOutcome(o, err)
		}
		res, outOK, errOK, err = exec(c.ID)
	}
	if err != nil {
		return errorOutcome(o, fmt.Errorf("run %s in service %s: %w", strings.Join(p.Command, " "), p.Service, err))
	}
	// What is shown is redacted before it is cut into excerpts: an
	// excerpt (or the engine's cap) can cut a secret in two, and the
	// report's redaction would no longer find it.
	res = r.redactResult(res)
	if msg, failed := runtimeFailure(res); failed {
		o.Detail = execDetail(res, nil)
		return errorOutcome(o, fmt.Errorf("cannot run %s in service %s: %s", p.Command[0], p.Service, msg))
	}
	ok, actual := matchers.describe(res, outOK, errOK)
	found(&o, actual)
	o.Detail = execDetail(res, actual)
	o.Status = Failed
	if ok {
		o.Status = Passed
	}
	return o
}

// runtimeFailure recognises an exec the container runtime could not start
// (a missing program, typically in an image without a shell): the engine
// reports exit code 126 or 127 with the runtime's message as output.
func runtimeFailure(res engine.ExecResult) (string, bool) {
	if res.ExitCode != 126 && res.ExitCode != 127 {
		return "", false
	}
	out := strings.TrimSpace(string(res.Stdout) + " " + string(res.Stderr))
	if !strings.Contains(out, "OCI runtime exec failed") {
		return "", false
	}
	for _, known := range []string{"executable file not found in $PATH", "no such file or directory", "permission denied"} {
		if strings.Contains(out, known) {
			return known, true
		}
	}
	return probe.Excerpt(out, 200), true
}

// ExpectText renders an Expect: "exit code 0, stdout matches /orders/".
func ExpectText(e config.Expect) string { return report.English(ExpectPhrases(e)) }

// ExpectPhrases is ExpectText as phrases a report translates.
func ExpectPhrases(e config.Expect) phrase.Text {
	t := phrase.Of(phrase.P("exit_code", strconv.Itoa(wantExit(e))))
	if e.StdoutContains != "" {
		t = append(t, phrase.P("stdout_contains", e.StdoutContains))
	}
	if e.StdoutMatches != "" {
		t = append(t, phrase.P("stdout_matches", e.StdoutMatches))
	}
	if e.StderrContains != "" {
		t = append(t, phrase.P("stderr_contains", e.StderrContains))
	}
	if e.StderrMatches != "" {
		t = append(t, phrase.P("stderr_matches", e.StderrMatches))
	}
	return t
}

// expecting is an outcome that expects t.
func expecting(t phrase.Text) Outcome {
	return Outcome{Expected: report.English(t), ExpectedText: t}
}

func wantExit(e config.Expect) int {
	if e.ExitCode == nil {
		return 0
	}
	return *e.ExitCode
}

type expectMatchers struct {
	e                     config.Expect
	stdoutRe, stderrRe    *regexp.Regexp
	checkStdout, checkErr bool
}

func compileExpect(e config.Expect) (expectMatchers, error) {
	m := expectMatchers{e: e}
	var err error
	if e.StdoutMatches != "" {
		if m.stdoutRe, err = regexp.Compile(e.StdoutMatches); err != nil {
			return m, fmt.Errorf("stdout_matches: %w", err)
		}
	}
	if e.StderrMatches != "" {
		if m.stderrRe, err = regexp.Compile(e.StderrMatches); err != nil {
			return m, fmt.Errorf("stderr_matches: %w", err)
		}
	}
	m.checkStdout = e.StdoutContains != "" || m.stdoutRe != nil
	m.checkErr = e.StderrContains != "" || m.stderrRe != nil
	return m, nil
}

// evaluate compares a result with the expectation and describes what was
// seen: the exit code, then the stream that failed (or, when all passed,
// the streams the expectation looked at).
func (m expectMatchers) evaluate(res engine.ExecResult) (bool, string) {
	stdout, stderr := string(res.Stdout), string(res.Stderr)
	outOK := (m.e.StdoutContains == "" || strings.Contains(stdout, m.e.StdoutContains)) &&
		(m.stdoutRe == nil || m.stdoutRe.MatchString(stdout))
	errOK := (m.e.StderrContains == "" || strings.Contains(stderr, m.e.StderrContains)) &&
		(m.stderrRe == nil || m.stderrRe.MatchString(stderr))
	ok, t := m.describe(res, outOK, errOK)
	return ok, report.English(t)
}

// streams returns one matcher per stream for ExecSpec.Stdout and Stderr.
func (m expectMatchers) streams() (out, errs *execStream) {
	return &execStream{newStreamMatcher(m.e.StdoutContains, m.stdoutRe)},
		&execStream{newStreamMatcher(m.e.StderrContains, m.stderrRe)}
}

// execStream is a streamMatcher for one stream of an exec.
type execStream struct{ *streamMatcher }

// resultOr is the stream's outcome; when the engine streamed nothing but
// returned output (an engine that ignores ExecSpec's writers), the
// returned output is matched instead.
func (s *execStream) resultOr(kept []byte) bool {
	if s.written == 0 && len(kept) > 0 {
		_, _ = s.Write(kept)
	}
	return s.Result()
}

// describe says what was seen, given whether each stream matched: the
// exit code, then the stream that failed (or, when all passed, the
// streams the expectation looked at).
func (m expectMatchers) describe(res engine.ExecResult, outOK, errOK bool) (bool, phrase.Text) {
	stdout, stderr := string(res.Stdout), string(res.Stderr)
	actual := phrase.Of(phrase.P("exit_code", strconv.Itoa(res.ExitCode)))
	if res.ExitCode != wantExit(m.e) {
		if s := strings.TrimSpace(stderr); s != "" {
			actual = append(actual, phrase.P("stderr_was", probe.Excerpt(s, 160)))
		} else if s := strings.TrimSpace(stdout); s != "" {
			actual = append(actual, phrase.P("stdout_was", probe.Excerpt(s, 160)))
		}
		return false, actual
	}
	if m.checkStdout && (!outOK || errOK) {
		actual = append(actual, streamText("stdout", stdout))
	}
	if m.checkErr && (!errOK || outOK) {
		actual = append(actual, streamText("stderr", stderr))
	}
	return outOK && errOK, actual
}

func streamText(name, s string) phrase.Phrase {
	s = strings.TrimSpace(s)
	if s == "" {
		return phrase.P(name + "_empty")
	}
	return phrase.P(name+"_was", probe.Excerpt(s, 160))
}

// redactResult hides the environment's secrets in an exec's output; a
// capped output's start may be the end of a cut secret (redact.Tail).
func (r *Runner) redactResult(res engine.ExecResult) engine.ExecResult {
	if r.Env == nil || len(r.Env.Secrets) == 0 {
		return res
	}
	red := redact.String
	if res.Truncated {
		red = redact.Tail
	}
	res.Stdout = []byte(red(string(res.Stdout), r.Env.Secrets))
	res.Stderr = []byte(red(string(res.Stderr), r.Env.Secrets))
	return res
}

// execDetail is an exec's output for a report's detail: each stream's
// excerpt, except one that shown (what was found) already quotes whole.
func execDetail(res engine.ExecResult, shown phrase.Text) string {
	var b strings.Builder
	for _, st := range []struct{ name, out string }{{"stdout", string(res.Stdout)}, {"stderr", string(res.Stderr)}} {
		s := strings.TrimSpace(st.out)
		if s == "" {
			continue
		}
		ex := probe.Excerpt(s, 500)
		if quotes(shown, st.name+"_was", ex) {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString(st.name + ": " + ex)
	}
	if b.Len() == 0 {
		return ""
	}
	if res.Truncated {
		b.WriteString(" (output truncated)")
	}
	return b.String()
}

// envList renders an env map as sorted KEY=value items.
func envList(m map[string]string) []string {
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// errorOutcome reports err as Status Error.
func errorOutcome(o Outcome, err error) Outcome {
	o.Status = Error
	o.Actual = err.Error()
	o.ActualText = nil
	o.Detail = err.Error()
	return o
}

// withAttempts is o with n attempts.
func withAttempts(o Outcome, n int) Outcome {
	o.Attempts = n
	return o
}

// quotes says whether t has the phrase key with arg as its value.
func quotes(t phrase.Text, key, arg string) bool {
	for _, p := range t {
		if p.Key == key && len(p.Args) == 1 && p.Args[0] == arg {
			return true
		}
	}
	return false
}
