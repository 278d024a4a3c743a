package redact

import (
	"errors"
	"io/fs"
	"testing"
)

func TestError(t *testing.T) {
	err := Error(&fs.PathError{Op: "open", Path: "s3cret.txt", Err: fs.ErrNotExist}, []string{"s3cret"})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Error("errors.Is lost the original")
	}
	if got := err.Error(); got != "open (sensitive).txt: file does not exist" {
		t.Errorf("the secret is shown: %q", got)
	}
	if Error(nil, []string{"x"}) != nil {
		t.Error("a nil error became an error")
	}
}
