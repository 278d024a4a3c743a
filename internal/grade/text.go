package grade

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/proeftuin/proeftuin/internal/instance"
)

// WriteSummary writes the class's warnings on errw and where the grades
// are (in out) on w.
func (c *Class) WriteSummary(w, errw io.Writer, out string) {
	for _, warn := range c.Warnings {
		fmt.Fprintln(errw, "proeftuin: warning: "+warn)
	}
	fmt.Fprintf(w, "graded %d submissions: %s\n", len(c.Results), filepath.Join(out, "grades.csv"))
}

// Failed is the first submission that could not be graded (status
// "error"), as an error; nil when every submission has a grade.
func (c *Class) Failed() error {
	for _, r := range c.Results {
		if r.Status == Error {
			return fmt.Errorf("%s could not be graded: %s", r.Student, r.Reason)
		}
	}
	return nil
}

// TypedError types an error of Grade for the exit code: a submissions
// folder that is not there is input; an interrupt says how to go on.
func TypedError(err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return &instance.InputError{Err: err}
	}
	if errors.Is(err, context.Canceled) {
		return &instance.InterruptedError{Msg: "interrupted; run again with --resume to grade the rest"}
	}
	return err
}
