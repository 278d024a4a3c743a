package config

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// envFileVars reads the env_file attribute of a service: one path or a
// list, relative to the environment folder, in the format compose reads
// (KEY=VALUE lines, # comments, blank lines, optional quotes). Later
// files win over earlier ones; the service's env wins over all of them.
func (l *loader) envFileVars(attr *hcl.Attribute) map[string]string {
	v, ok := l.value(attr)
	if !ok {
		return nil
	}
	var paths []string
	if v.Type() == cty.String {
		p, _ := asString(v)
		paths = []string{p}
	} else {
		var err error
		if paths, err = asStrings(v); err != nil {
			l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid env_file",
				"env_file takes a path or a list of paths relative to the environment folder, like \"app.env\" or [\"common.env\", \"web.env\"]."))
			return nil
		}
	}
	out := map[string]string{}
	for _, p := range paths {
		if p == knownAfterUp {
			continue
		}
		data, err := l.readFile(p)
		if err != nil {
			l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid env_file",
				"The env file cannot be used: %s.", err))
			continue
		}
		name, _ := l.resolve(p)
		vars, diags := parseEnvFile(name, data)
		l.diags = append(l.diags, diags...)
		for k, val := range vars {
			out[k] = val
		}
	}
	return out
}

// parseEnvFile parses the dotenv format compose reads. A line is
// "KEY=VALUE" (with an optional "export " in front), a comment starting
// with #, or blank. A value in double quotes may span escapes (\n, \t,
// \", \\); one in single quotes is taken literally; an unquoted value
// ends at " #" and loses its surrounding spaces. A line with a name and
// no "=" (compose takes such a value from the host) is refused: a lab
// must not depend on the machine it runs on.
func parseEnvFile(filename string, data []byte) (map[string]string, hcl.Diagnostics) {
	out := map[string]string{}
	var diags hcl.Diagnostics
	at := func(line, col int) *hcl.Range {
		pos := hcl.Pos{Line: line, Column: col}
		return &hcl.Range{Filename: filename, Start: pos, End: hcl.Pos{Line: line, Column: col + 1}}
	}
	for i, raw := range strings.Split(strings.TrimPrefix(string(data), "\ufeff"), "\n") {
		line := strings.TrimRight(raw, "\r")
		n := i + 1
		trimmed := strings.TrimLeft(line, " \t")
		indent := len(line) - len(trimmed)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if rest, ok := strings.CutPrefix(trimmed, "export "); ok {
			indent += len(trimmed) - len(rest)
			trimmed = rest
		}
		key, value, hasEq := strings.Cut(trimmed, "=")
		key = strings.TrimRight(key, " \t")
		if !hasEq {
			diags = append(diags, errorAt(at(n, indent+1), "Invalid env file line",
				"%q has no \"=\"; write KEY=VALUE (compose would take the value from your own machine, which a lab cannot rely on).", truncate(trimmed, 60)))
			continue
		}
		if !validEnvName(key) {
			diags = append(diags, errorAt(at(n, indent+1), "Invalid environment variable",
				"%q is not a variable name; use letters, digits, _ and . and do not start with a digit.", truncate(key, 60)))
			continue
		}
		valCol := indent + len(trimmed) - len(value) + 1
		val, err := envValue(value)
		if err != nil {
			diags = append(diags, errorAt(at(n, valCol), "Invalid env file value",
				"The value of %s %s.", key, err))
			continue
		}
		out[key] = val
	}
	return out, diags
}

func validEnvName(k string) bool {
	if k == "" || (k[0] >= '0' && k[0] <= '9') {
		return false
	}
	for _, r := range k {
		ok := r == '_' || r == '.' || r == '-' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
		if !ok {
			return false
		}
	}
	return true
}

func envValue(v string) (string, error) {
	v = strings.TrimLeft(v, " \t")
	if v == "" {
		return "", nil
	}
	switch q := v[0]; q {
	case '\'', '"':
		end := closingQuote(v, q)
		if end < 0 {
			return "", fmt.Errorf("has an opening %c without a closing one on the same line; close it", q)
		}
		if tail := strings.TrimSpace(v[end+1:]); tail != "" && !strings.HasPrefix(tail, "#") {
			return "", fmt.Errorf("has text after its closing quote (%q); put it inside the quotes or start a comment with \" #\"", truncate(tail, 30))
		}
		body := v[1:end]
		if q == '\'' {
			return body, nil
		}
		return unescapeDouble(body), nil
	}
	if i := strings.Index(v, " #"); i >= 0 {
		v = v[:i]
	}
	if i := strings.Index(v, "\t#"); i >= 0 {
		v = v[:i]
	}
	v = strings.TrimRight(v, " \t")
	if strings.ContainsRune(v, 0) {
		return "", fmt.Errorf("contains a NUL byte, which would cut it short; remove it")
	}
	return v, nil
}

func closingQuote(v string, q byte) int {
	for i := 1; i < len(v); i++ {
		switch {
		case q == '"' && v[i] == '\\':
			i++
		case v[i] == q:
			return i
		}
	}
	return -1
}

func unescapeDouble(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// mergeEnv returns the env file values with env over them.
func mergeEnv(fromFiles, env map[string]string) map[string]string {
	if len(fromFiles) == 0 {
		return env
	}
	out := make(map[string]string, len(fromFiles)+len(env))
	for k, v := range fromFiles {
		out[k] = v
	}
	for k, v := range env {
		out[k] = v
	}
	return out
}
