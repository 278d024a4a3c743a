// Package composeimport turns a compose file into a proeftuin lab: an
// environment.hcl with every key it can carry, and a note with the line
// of every key it cannot. It reads compose files with compose-spec's own
// loader (compose-go), and the lines with a plain YAML pass, since the
// loader does not keep them.
package composeimport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/sirupsen/logrus"
	"github.com/zclconf/go-cty/cty"

	"github.com/proeftuin/proeftuin/internal/hclfmt"
)

// FileName is the file Import writes in the lab folder.
const FileName = "environment.hcl"

// Note is a compose key Import could not carry.
type Note struct {
	Key    string `json:"key"`    // dotted path, like services.web.logging
	Line   int    `json:"line"`   // its line in the compose file; 0 when unknown
	Reason string `json:"reason"` // why it is not carried
}

// Options say what to import where.
type Options struct {
	File  string // the compose file
	Out   string // the lab folder; "" is the compose file's folder
	Force bool   // overwrite an existing environment.hcl
}

// Result is what Import wrote and what it left out.
type Result struct {
	Path  string `json:"path"`        // the environment.hcl written
	Name  string `json:"environment"` // the environment's name
	Notes []Note `json:"not_carried"` // sorted by line
}

// Write prints r: the file written, then every key not carried with its
// line in the compose file, then the next step. With asJSON it prints r
// as JSON instead.
func (r *Result) Write(w io.Writer, composeFile string, asJSON bool) error {
	if asJSON {
		out := *r
		if out.Notes == nil {
			out.Notes = []Note{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	fmt.Fprintf(w, "wrote %s (environment %s)\n", r.Path, r.Name)
	if len(r.Notes) > 0 {
		fmt.Fprintf(w, "not carried (%d):\n", len(r.Notes))
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "  %s:%d: %s: %s\n", composeFile, n.Line, n.Key, n.Reason)
	}
	_, err := fmt.Fprintf(w, "next: proeftuin validate --dir %s\n", filepath.Dir(r.Path))
	return err
}

// ErrExists is returned when the lab folder has an environment.hcl
// already and Force is false.
var ErrExists = errors.New("the lab folder has an environment.hcl already")

// InputError is a compose file that cannot be read or loaded.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// Import reads o.File and writes the lab.
func Import(ctx context.Context, o Options) (*Result, error) {
	file, err := filepath.Abs(o.File)
	if err != nil {
		return nil, &InputError{err}
	}
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, &InputError{fmt.Errorf("read the compose file: %w", err)}
	}
	sc, err := keyLines(src)
	if err != nil {
		return nil, &InputError{fmt.Errorf("%s: %w", o.File, err)}
	}
	out := o.Out
	if out == "" {
		out = filepath.Dir(file)
	}
	if out, err = filepath.Abs(out); err != nil {
		return nil, &InputError{err}
	}
	target := filepath.Join(out, FileName)
	if _, err := os.Stat(target); err == nil && !o.Force {
		return nil, &InputError{fmt.Errorf("%w: %s (use --force to overwrite it)", ErrExists, target)}
	}
	dotenv, err := readDotEnv(filepath.Dir(file))
	if err != nil {
		return nil, &InputError{err}
	}
	p, err := load(ctx, file, dotenv)
	if err != nil {
		return nil, &InputError{fmt.Errorf("%s: %w", o.File, err)}
	}
	c := &converter{p: p, out: out, lines: sc.lines, healthyDeps: map[string]bool{}}
	text, name := c.convert()
	c.unsupportedKeys(sc.order)
	for _, v := range sc.vars {
		if _, ok := dotenv[v.name]; !ok {
			c.notes = append(c.notes, Note{Key: v.path, Line: v.line, Reason: fmt.Sprintf("${%s} is not in the .env file, so compose would read it from your machine; here it became empty: write the value in", v.name)})
		}
	}
	formatted, diags := hclfmt.Format(text, FileName)
	if diags.HasErrors() {
		return nil, fmt.Errorf("the generated lab does not parse (a bug in the importer): %s", diags.Error())
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(target, formatted, 0o644); err != nil {
		return nil, err
	}
	sort.SliceStable(c.notes, func(i, j int) bool { return c.notes[i].Line < c.notes[j].Line })
	return &Result{Path: target, Name: name, Notes: c.notes}, nil
}

// readDotEnv reads the .env file next to the compose file, which compose
// uses for ${NAME} in the file; it belongs to the project, unlike the
// shell's variables.
func readDotEnv(dir string) (map[string]string, error) {
	path := filepath.Join(dir, ".env")
	if _, err := os.Stat(path); err != nil {
		return map[string]string{}, nil
	}
	env, err := dotenv.Read(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return env, nil
}

// load reads the compose file with compose-go: ${NAME} from env (the
// .env file) only, never from the shell (a lab must not depend on the
// machine that imports it), env files kept as files, paths absolute.
func load(ctx context.Context, file string, env map[string]string) (*types.Project, error) {
	dir := filepath.Dir(file)
	name := projectName(filepath.Base(dir))
	details := types.ConfigDetails{
		WorkingDir:  dir,
		ConfigFiles: []types.ConfigFile{{Filename: file}},
		Environment: env,
	}
	// compose-go logs its warnings (an obsolete version key) through
	// logrus; the notes say what matters, in the lab's words.
	logrus.SetOutput(io.Discard)
	return loader.LoadWithContext(ctx, details, func(o *loader.Options) {
		o.SetProjectName(name, false)
		o.SkipResolveEnvironment = true
		o.ResolvePaths = true
		o.SkipConsistencyCheck = false
	})
}

var notName = regexp.MustCompile(`[^a-z0-9_-]+`)

func projectName(s string) string {
	n := strings.Trim(notName.ReplaceAllString(strings.ToLower(s), "-"), "-_")
	if n == "" || !(n[0] >= 'a' && n[0] <= 'z') {
		n = "lab-" + n
	}
	return strings.TrimSuffix(n, "-")
}

func (c *converter) convert() ([]byte, string) {
	f := hclwrite.NewEmptyFile()
	c.body = f.Body()
	name := projectName(c.p.Name)
	c.body.AppendUnstructuredTokens(hclwrite.Tokens{{Type: hclsynTokenComment, Bytes: []byte("# Imported from a compose file by proeftuin import compose.\n")}})
	env := c.body.AppendNewBlock("environment", []string{name}).Body()
	env.SetAttributeValue("title", cty.StringVal(name+" (imported from compose)"))
	for _, s := range c.p.Services {
		for dep, d := range s.DependsOn {
			if d.Condition == types.ServiceConditionHealthy {
				c.healthyDeps[dep] = true
			}
		}
	}
	c.networks()
	c.volumes()
	c.secrets()
	for _, s := range c.ordered("services", keysOf(c.p.Services)) {
		c.service(s)
	}
	return f.Bytes(), name
}

// unsupportedKeys notes every key of the file that is not carried,
// outermost only (what is under a noted key is left with it).
func (c *converter) unsupportedKeys(order []string) {
	var noted []string
	for _, path := range order {
		under := false
		for _, n := range noted {
			if strings.HasPrefix(path, n+".") {
				under = true
				break
			}
		}
		if under {
			continue
		}
		if ok, why := judge(path); !ok {
			noted = append(noted, path)
			c.notes = append(c.notes, Note{Key: path, Line: c.lines[path], Reason: why})
		}
	}
}

// relInside is path relative to dir, or an error when it leaves dir.
func relInside(dir, path string) (string, error) {
	r, err := filepath.Rel(dir, path)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) || filepath.IsAbs(r) {
		return "", fmt.Errorf("%s is outside %s", path, dir)
	}
	return filepath.ToSlash(r), nil
}
