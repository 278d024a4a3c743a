package config

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
)

// parser wraps hclparse.Parser so that every file, also one with syntax
// errors, yields a body: decoding goes on with what could be parsed and the
// user sees every error of one run at once.
type parser struct {
	p *hclparse.Parser
}

func newParser() *parser { return &parser{p: hclparse.NewParser()} }

// parseSource parses src under name, which is what diagnostics print.
func (p *parser) parseSource(src []byte, name string) (*hcl.File, hcl.Diagnostics) {
	var (
		f     *hcl.File
		diags hcl.Diagnostics
	)
	json := strings.HasSuffix(name, ".json")
	if d := precheck(src, name, json); d != nil {
		// Parsing it would take long and tell nothing more.
		return &hcl.File{Body: hcl.EmptyBody(), Bytes: src}, hcl.Diagnostics{d}
	}
	if json {
		f, diags = p.p.ParseJSON(src, name)
	} else {
		f, diags = p.p.ParseHCL(src, name)
	}
	if f == nil || f.Body == nil {
		f = &hcl.File{Body: hcl.EmptyBody(), Bytes: src}
	}
	return f, diags
}

// environmentFiles lists the *.hcl files of dir (not recursively), sorted
// by name so that declaration order does not depend on the file system.
func environmentFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".hcl") || strings.HasPrefix(name, ".") {
			continue
		}
		names = append(names, name)
	}
	sort.Strings(names)
	return names, nil
}

// loadEnvironmentFiles parses every file of the folder; a file that cannot
// be read is a diagnostic, not a reason to stop.
func (l *loader) loadEnvironmentFiles() []*hcl.File {
	names, err := environmentFiles(l.dir)
	if err != nil {
		l.diags = append(l.diags, errorAt(nil, "Cannot read environment folder",
			"The folder %s could not be read (%s); check the --dir option.", l.opts.Dir, err))
		return nil
	}
	if len(names) == 0 {
		l.diags = append(l.diags, errorAt(nil, "No configuration files",
			"The folder %s holds no *.hcl files; an environment needs at least one file with an environment block.", l.opts.Dir))
		return nil
	}
	var files []*hcl.File
	for _, name := range names {
		src, err := os.ReadFile(filepath.Join(l.dir, name))
		if err != nil {
			l.diags = append(l.diags, errorAt(nil, "Cannot read configuration file",
				"The file %s could not be read (%s); check its permissions.", name, err))
			continue
		}
		f, diags := l.parser.parseSource(src, name)
		if diags.HasErrors() {
			l.parseFailed = true
		}
		for _, d := range diags {
			l.syntaxDiags[d] = true
		}
		l.diags = append(l.diags, diags...)
		l.addFile(name, f)
		files = append(files, f)
	}
	return files
}

func (l *loader) addFile(name string, f *hcl.File) {
	if _, ok := l.fileOrder[name]; !ok {
		l.fileOrder[name] = len(l.fileOrder)
	}
	l.env.Files[name] = f
}
