package hclfmt

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Options say what Run does with the files it formats.
type Options struct {
	Check bool // write nothing; count the files that need formatting
	Diff  bool // print a unified diff of every change instead of the file's name
	Write bool // write the result back to the file
	// Stdin is read for the path "-", whose result goes to Stdout.
	Stdin io.Reader
	// Stdout gets the names of changed files (or their diffs) and the
	// formatted standard input.
	Stdout io.Writer
	// Invalid reports a file that does not parse; it is left alone.
	Invalid func(name string, f *hcl.File, diags hcl.Diagnostics)
}

// Result counts the files that did not parse and the files that changed
// (or would change).
type Result struct {
	Invalid, Changed int
}

// InputError is a path that cannot be read: a mistake of the user's.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// Run formats the *.hcl files of paths (folders, files, or "-" for
// standard input), as `proeftuin fmt` does. Files that do not parse are
// reported through o.Invalid and counted; an error ends the run.
func Run(paths []string, o Options) (Result, error) {
	var res Result
	var files []string
	for _, p := range paths {
		if p == "-" {
			files = append(files, p)
			continue
		}
		found, err := Files(p)
		if err != nil {
			return res, &InputError{Err: err}
		}
		files = append(files, found...)
	}
	for _, name := range files {
		src, err := readSource(o.Stdin, name)
		if err != nil {
			return res, &InputError{Err: err}
		}
		out, diags := Format(src, name)
		if diags.HasErrors() {
			res.Invalid++
			f, _ := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
			o.Invalid(name, f, diags)
			continue
		}
		if name == "-" {
			if _, err := o.Stdout.Write(out); err != nil {
				return res, err
			}
			continue
		}
		if bytes.Equal(src, out) {
			continue
		}
		res.Changed++
		if err := o.changed(name, src, out); err != nil {
			return res, err
		}
	}
	return res, nil
}

// changed reports a file that changed and writes it back.
func (o Options) changed(name string, src, out []byte) error {
	if o.Diff {
		if _, err := io.WriteString(o.Stdout, Diff(name, string(src), string(out))); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(o.Stdout, name)
	}
	if o.Write && !o.Check {
		return WriteFile(name, out)
	}
	return nil
}

func readSource(stdin io.Reader, name string) ([]byte, error) {
	if name == "-" {
		b, err := io.ReadAll(stdin)
		if err != nil {
			return nil, fmt.Errorf("fmt: read standard input: %w", err)
		}
		return b, nil
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("fmt: %w", err)
	}
	return b, nil
}
