package labs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/proeftuin/proeftuin/internal/config"
)

// Lab is one lab of the catalogue, as `proeftuin labs` lists it.
type Lab struct {
	Name         string   `json:"name"`
	Title        string   `json:"title"`
	Description  string   `json:"description,omitempty"`
	Services     []string `json:"services"`
	Requirements int      `json:"requirements"`
	Must         int      `json:"must"`
	Checks       int      `json:"checks"`
	Steps        int      `json:"steps"`
}

// Names lists the labs in fsys: the top folders holding *.hcl files,
// sorted.
func Names(fsys fs.FS) ([]string, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		hcl, _ := fs.Glob(fsys, path.Join(e.Name(), "*.hcl"))
		if len(hcl) > 0 {
			out = append(out, e.Name())
		}
	}
	slices.Sort(out)
	return out, nil
}

// Catalogue loads every lab of fsys (without an engine) and describes it.
// A lab that does not load is an error naming it: the catalogue is tested
// so this does not happen in a release.
func Catalogue(fsys fs.FS) ([]Lab, error) {
	names, err := Names(fsys)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "proeftuin-labs-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	var out []Lab
	for _, name := range names {
		dir := filepath.Join(tmp, name)
		if err := Extract(fsys, name, dir); err != nil {
			return nil, err
		}
		env, diags := config.Load(config.Options{Dir: dir})
		if diags.HasErrors() {
			return nil, fmt.Errorf("lab %s does not load: %s", name, diags.Error())
		}
		out = append(out, Describe(name, env))
	}
	return out, nil
}

// Describe summarizes a loaded lab.
func Describe(name string, env *config.Environment) Lab {
	l := Lab{Name: name, Title: env.Title, Description: env.Description, Requirements: len(env.Requirements), Checks: len(env.Checks), Steps: len(env.Steps)}
	for _, s := range env.Services {
		l.Services = append(l.Services, s.Name)
	}
	for _, r := range env.Requirements {
		if r.Priority == config.Must {
			l.Must++
		}
	}
	return l
}

// Extract copies the lab folder name of fsys to dest, which must not exist
// or be an empty folder. Scripts (*.sh) keep an executable mode.
func Extract(fsys fs.FS, name, dest string) error {
	sub, err := fs.Sub(fsys, name)
	if err != nil {
		return err
	}
	if _, err := fs.Stat(sub, "."); err != nil {
		return fmt.Errorf("no lab %q in the catalogue", name)
	}
	if err := ensureEmpty(dest); err != nil {
		return err
	}
	return fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dest, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		mode := os.FileMode(0o644)
		if strings.HasSuffix(p, ".sh") {
			mode = 0o755
		}
		return os.WriteFile(target, data, mode)
	})
}

// ErrNotEmpty is returned when the destination folder already has files.
var ErrNotEmpty = errors.New("folder is not empty")

// ensureEmpty creates dest, or accepts an existing empty folder.
func ensureEmpty(dest string) error {
	fi, err := os.Stat(dest)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return os.MkdirAll(dest, 0o755)
	case err != nil:
		return err
	case !fi.IsDir():
		return fmt.Errorf("%s exists and is not a folder", dest)
	}
	entries, err := os.ReadDir(dest)
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s: %w (%d entries); choose a new or empty folder", dest, ErrNotEmpty, len(entries))
	}
	return nil
}
