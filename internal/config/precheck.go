package config

import (
	"fmt"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// maxFileSize is the largest configuration file the loader reads. A lab
// of a thousand services fits; the limit exists because HCL's lexer needs
// seconds for a few megabytes of garbage.
const maxFileSize = 1 << 20

// precheck refuses a file that is not worth parsing: too large, not text,
// or nested too deep. It is one pass over the bytes (and, only when the
// nesting looks too deep, HCL's lexer), so it costs little on good files.
func precheck(src []byte, name string, json bool) *hcl.Diagnostic {
	if len(src) > maxFileSize {
		return &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "File too large",
			Detail: fmt.Sprintf("%s is %.1f MiB; a configuration file may be at most 1 MiB. "+
				"Put large content in separate files that the lab reads with file() or a file block, or split the configuration over several .hcl files.",
				name, float64(len(src))/(1<<20)),
			Subject: &hcl.Range{Filename: name, Start: hcl.InitialPos, End: hcl.InitialPos},
		}
	}
	if d := checkText(src, name); d != nil {
		return d
	}
	return checkNesting(src, name, json)
}

// Precheck is precheck for an HCL file read outside the loader (fmt): a
// file it refuses is not handed to HCL's parser.
func Precheck(src []byte, filename string) *hcl.Diagnostic {
	return precheck(src, filename, false)
}

// checkText reports the first byte that is not text: a control character
// other than tab, newline and carriage return, or invalid UTF-8. Such a
// byte is never needed (strings have escapes like "\u0001") and usually
// means a binary or corrupted file, which the lexer would turn into
// thousands of errors.
func checkText(src []byte, name string) *hcl.Diagnostic {
	line, col := 1, 1
	for i := 0; i < len(src); {
		c := src[i]
		size := 1
		var what string
		switch {
		case c == '\n':
			line, col = line+1, 1
			i++
			continue
		case c < 0x20 && c != '\t' && c != '\r', c == 0x7f:
			what = fmt.Sprintf("the control character 0x%02x", c)
		case c >= 0x80:
			var r rune
			r, size = utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && size <= 1 {
				what = fmt.Sprintf("the byte 0x%02x, which is not UTF-8", c)
			}
		}
		if what != "" {
			pos := hcl.Pos{Line: line, Column: col, Byte: i}
			return &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Not a text file",
				Detail: fmt.Sprintf("%s holds %s here. A configuration file is UTF-8 text; "+
					"remove the character (inside a string, write it as an escape like \"\\u0001\"), or save the file as UTF-8 if your editor used another encoding.", name, what),
				Subject: &hcl.Range{Filename: name, Start: pos, End: hcl.Pos{Line: line, Column: col + 1, Byte: i + size}},
			}
		}
		i += size
		col++
	}
	return nil
}

// maxNesting is the deepest bracket nesting a configuration file may have.
// Real labs stay below ten levels; the limit exists because HCL's parser
// takes time that grows faster than linearly with unclosed brackets
// (16,000 of them: seconds) and recurses once per level.
const maxNesting = 100

// checkNesting reports a file whose brackets nest deeper than maxNesting,
// at the bracket that goes too deep, so that the parser never sees it.
// A cheap byte scan decides whether the file can be too deep at all; only
// then does HCL's lexer (linear) find the exact token.
func checkNesting(src []byte, name string, json bool) *hcl.Diagnostic {
	if roughDepth(src, json) <= maxNesting {
		return nil
	}
	var rng hcl.Range
	if json {
		var ok bool
		if rng, ok = jsonDeepRange(src, name); !ok {
			return nil
		}
	} else {
		toks, _ := hclsyntax.LexConfig(src, name, hcl.InitialPos)
		depth := 0
		for _, t := range toks {
			switch t.Type {
			case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen,
				hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl, hclsyntax.TokenOQuote, hclsyntax.TokenOHeredoc:
				depth++
			case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen,
				hclsyntax.TokenTemplateSeqEnd, hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc:
				if depth > 0 {
					depth--
				}
			}
			if depth > maxNesting {
				rng = t.Range
				break
			}
		}
		if depth <= maxNesting {
			return nil // the scan was fooled by brackets in text
		}
	}
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Nesting too deep",
		Detail: "Brackets, braces, parentheses and strings are nested more than 100 levels deep here. " +
			"No lab needs that: look for a bracket that is opened but never closed.",
		Subject: &rng,
	}
}

// roughDepth estimates the nesting of src the way the check counts it
// (brackets, strings, template interpolations) with a small state
// machine: code, strings and heredocs, comments skipped. It is exact for
// ordinary files; when it is wrong, the lexer has the last word.
func roughDepth(src []byte, json bool) int {
	// stack holds what each open level is: a bracket of code, a string,
	// or an interpolation inside a string (which ends at '}').
	const (
		bracket = iota
		str
		interp
		heredoc
	)
	var stack []byte
	var heredocEnd [][]byte
	deepest := 0
	push := func(k byte) {
		stack = append(stack, k)
		deepest = max(deepest, len(stack))
	}
	top := func() int {
		if len(stack) == 0 {
			return -1
		}
		return int(stack[len(stack)-1])
	}
	pop := func() {
		if len(stack) > 0 {
			stack = stack[:len(stack)-1]
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch top() {
		case str, heredoc:
			switch {
			case c == '\\' && top() == str:
				i++
			case c == '"' && top() == str, c == '\n' && top() == str:
				pop()
			case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == '{' && !json:
				if i+2 < len(src) && src[i+2] == '{' {
					i += 2 // $${ is a literal
					continue
				}
				i++
				push(interp)
			case c == '\n' && top() == heredoc:
				// A heredoc ends at a line holding only its marker.
				end := heredocEnd[len(heredocEnd)-1]
				j := i + 1
				for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
					j++
				}
				if len(src)-j >= len(end) && string(src[j:j+len(end)]) == string(end) {
					pop()
					heredocEnd = heredocEnd[:len(heredocEnd)-1]
					i = j + len(end) - 1
				}
			}
			continue
		}
		switch c {
		case '(', '[', '{':
			push(bracket)
		case ')', ']', '}':
			pop()
		case '"':
			push(str)
		case '<':
			if json || i+2 >= len(src) || src[i+1] != '<' {
				continue
			}
			j := i + 2
			if src[j] == '-' {
				j++
			}
			k := j
			for k < len(src) && (src[k] == '_' || src[k] >= 'A' && src[k] <= 'Z' || src[k] >= 'a' && src[k] <= 'z' || src[k] >= '0' && src[k] <= '9') {
				k++
			}
			if k == j || k >= len(src) || src[k] != '\n' {
				continue
			}
			heredocEnd = append(heredocEnd, src[j:k])
			push(heredoc)
			i = k
		case '#':
			if !json {
				for i+1 < len(src) && src[i+1] != '\n' {
					i++
				}
			}
		case '/':
			if json || i+1 >= len(src) {
				continue
			}
			switch src[i+1] {
			case '/':
				for i+1 < len(src) && src[i+1] != '\n' {
					i++
				}
			case '*':
				i += 2
				for i+1 < len(src) && (src[i] != '*' || src[i+1] != '/') {
					i++
				}
				i++
			}
		}
	}
	return deepest
}

// jsonDeepRange is the position of the first bracket of a JSON file that
// opens a level deeper than maxNesting.
func jsonDeepRange(src []byte, name string) (hcl.Range, bool) {
	depth, line, col := 0, 1, 1
	inStr := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case inStr && c == '\\':
			i++
			col++
		case inStr && c == '"':
			inStr = false
		case inStr:
		case c == '"':
			inStr = true
		case c == '[' || c == '{':
			depth++
			if depth > maxNesting {
				pos := hcl.Pos{Line: line, Column: col, Byte: i}
				return hcl.Range{Filename: name, Start: pos, End: hcl.Pos{Line: line, Column: col + 1, Byte: i + 1}}, true
			}
		case c == ']' || c == '}':
			depth--
		}
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return hcl.Range{}, false
}
