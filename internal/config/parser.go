package config

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
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
	if !json {
		if d := unterminatedString(src, name, diags); d != nil {
			// What follows the missing quote was read as strings and code
			// turned inside out: nothing in it is worth decoding.
			return &hcl.File{Body: hcl.EmptyBody(), Bytes: src}, hcl.Diagnostics{d}
		}
	}
	return f, diags
}

// unterminatedString turns HCL's run of "Invalid multi-line string" errors
// (one for every line until the next quote, often twenty) into the one
// thing that is wrong: the string that starts at the returned quote has no
// closing quote on its line. It lexes the file only when the parser
// already found such an error, so a good file costs nothing.
func unterminatedString(src []byte, name string, diags hcl.Diagnostics) *hcl.Diagnostic {
	found := false
	for _, d := range diags {
		if d.Summary == "Invalid multi-line string" {
			found = true
			break
		}
	}
	if !found {
		return nil
	}
	tokens, _ := hclsyntax.LexConfig(src, name, hcl.InitialPos)
	var open []hcl.Range
	for _, t := range tokens {
		switch t.Type {
		case hclsyntax.TokenOQuote:
			open = append(open, t.Range)
		case hclsyntax.TokenCQuote:
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
		case hclsyntax.TokenQuotedNewline:
			if len(open) == 0 {
				return nil
			}
			rng := open[len(open)-1]
			return errorAt(&rng, "Closing quote missing",
				"The string that starts here has no closing quote on its line; add \" where the value ends. A string that spans lines is written as a heredoc (<<-EOT ... EOT).")
		}
	}
	return nil
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

// lookalikes lists the files of dir that a student meant as HCL but the
// loader does not read: "main.HCL", "plan.hcl.txt" (an editor's or
// Windows' doing), "service.hcl.bak" is a backup and stays quiet.
func lookalikes(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		lower := strings.ToLower(name)
		if e.IsDir() || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".hcl") {
			continue
		}
		if strings.HasSuffix(lower, ".hcl") || strings.HasSuffix(lower, ".hcl.txt") {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
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
	if look := lookalikes(l.dir); len(look) > 0 {
		verb, them := "look", "them"
		if len(look) == 1 {
			verb, them = "looks", "it"
		}
		l.diags = append(l.diags, warningAt(nil, "Files not read",
			"%s %s like HCL, but only files ending in .hcl (lower case) are read; rename %s to end in .hcl, or move %s out of the folder. Windows hides known extensions, so \"plan.hcl\" in Explorer may be plan.hcl.txt.",
			strings.Join(look, ", "), verb, them, them))
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
