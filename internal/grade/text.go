package grade

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/proeftuin/proeftuin/internal/engine/docker"
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

// Dial connects to every named engine: a docker context, or a host when
// the name has a scheme (tcp://, ssh://, unix://). One that does not
// answer is left out with a warning on errw; the error joins their
// errors when none answers.
func Dial(ctx context.Context, names []string, errw io.Writer) ([]Engine, error) {
	var out []Engine
	var errs []error
	for _, name := range names {
		o := docker.Options{Context: name}
		if strings.Contains(name, "://") {
			o = docker.Options{Host: name}
		}
		eng, err := docker.New(ctx, o)
		if err != nil {
			fmt.Fprintf(errw, "proeftuin: warning: engine %s does not answer; grading without it: %v\n", name, err)
			errs = append(errs, err)
			continue
		}
		out = append(out, Engine{Name: name, Engine: eng})
	}
	if len(out) == 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
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
