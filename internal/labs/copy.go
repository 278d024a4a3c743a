package labs

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// UnknownError is a lab name that is not in the catalogue.
type UnknownError struct {
	Name  string
	Names []string // the labs of the catalogue
}

func (e *UnknownError) Error() string {
	return fmt.Sprintf("no lab %q in the catalogue; choose from %s", e.Name, strings.Join(e.Names, ", "))
}

// known returns an UnknownError when fsys has no lab name.
func known(fsys fs.FS, name string) error {
	names, err := Names(fsys)
	if err != nil {
		return err
	}
	if !slices.Contains(names, name) {
		return &UnknownError{Name: name, Names: names}
	}
	return nil
}

// WriteInit tells what Init wrote and what to do next.
func WriteInit(w io.Writer, from, dest string) {
	what := "a starter lab"
	if from != "" {
		what = "lab " + from
	}
	fmt.Fprintf(w, "wrote %s to %s\nnext: cd %s && proeftuin validate && proeftuin up\n", what, dest, dest)
}

// Init writes a new lab into dest, a new or empty folder: the lab from of
// fsys, or the starter lab when from is "".
func Init(fsys fs.FS, from, dest string) error {
	if from == "" {
		return Starter(dest)
	}
	if err := known(fsys, from); err != nil {
		return err
	}
	return Extract(fsys, from, dest)
}

// ExtractTemp copies the lab name of fsys into a new temporary folder and
// returns the lab's folder in it; cleanup removes it all, also after an
// error.
func ExtractTemp(fsys fs.FS, name string) (dir string, cleanup func(), err error) {
	cleanup = func() {}
	if err := known(fsys, name); err != nil {
		return "", cleanup, err
	}
	tmp, err := os.MkdirTemp("", "proeftuin-lab-")
	if err != nil {
		return "", cleanup, err
	}
	cleanup = func() { os.RemoveAll(tmp) }
	dir = filepath.Join(tmp, name)
	if err := Extract(fsys, name, dir); err != nil {
		return "", cleanup, err
	}
	return dir, cleanup, nil
}
