package cli

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/proeftuin/proeftuin/internal/apply"
	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine/docker"
	"github.com/proeftuin/proeftuin/internal/instance"
	"github.com/proeftuin/proeftuin/internal/report"
)

// TestExitCode: the exit code follows the error's type, also through
// wrapping and redaction, never its text.
func TestExitCode(t *testing.T) {
	rollback := &apply.RollbackError{Left: []string{"volume lab-data"}, Err: errors.New("volume is in use")}
	env := &config.Environment{Secrets: []string{"s3cret"}}
	for _, tc := range []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, ExitOK},
		{"explicit", exit(ExitFailed, nil), ExitFailed},
		{"input", &instance.InputError{Err: errors.New("bad")}, ExitInvalid},
		{"engine", &instance.EngineError{Err: errors.New("refused")}, ExitEngine},
		{"unreachable", fmt.Errorf("up: %w", docker.ErrUnreachable), ExitEngine},
		{"interrupted", &instance.InterruptedError{Msg: "interrupted"}, ExitInterrupted},
		{"interrupted, roll-back failed", &instance.InterruptedError{Msg: "x", Rollback: rollback}, ExitInterrupted},
		{"canceled", fmt.Errorf("wait: %w", context.Canceled), ExitInterrupted},
		{"failed up whose roll-back failed", fmt.Errorf("up: %w", rollback), ExitFailed},
		{"redacted input", redactErr(env, &instance.InputError{Err: errors.New("s3cret is wrong")}), ExitInvalid},
		{"a message that merely mentions a rollback", errors.New("rollback incomplete"), ExitFailed},
		{"result failed", &instance.StatusError{Status: report.Failed}, ExitFailed},
		{"result error", &instance.StatusError{Status: report.Error}, ExitEngine},
		{"result interrupted", &instance.StatusError{Status: report.Interrupted}, ExitInterrupted},
	} {
		if got := exitCode(tc.err); got != tc.want {
			t.Errorf("%s: exitCode(%v) = %d, want %d", tc.name, tc.err, got, tc.want)
		}
	}
}
