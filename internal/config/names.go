package config

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// validName reports whether a block label can become part of a Docker
// object name (<instance>-<name>) and a reference: a PlainName of at most
// 63 characters.
func validName(s string) bool {
	return len(s) <= 63 && PlainName(s)
}

// PlainName reports whether s is made of ASCII letters, digits, '-', '_'
// and '.', starting with a letter or digit, as names of blocks, instances
// and environments are. Only ASCII is allowed on purpose: a Cyrillic "е"
// in "wеb" looks like "web" but is another name, and such a lookalike
// would make a lab fail in ways a student cannot see.
func PlainName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case (c == '-' || c == '_' || c == '.') && i > 0:
		default:
			return false
		}
	}
	return true
}

// checkName appends a diagnostic when a block label is not a valid name.
func (l *loader) checkName(block *hcl.Block, what string) bool {
	if len(block.Labels) == 0 {
		return false
	}
	name := block.Labels[0]
	if validName(name) {
		return true
	}
	detail := "A %s name must start with an ASCII letter or digit, may contain only ASCII letters, digits, '-', '_' and '.', and be at most 63 characters long; rename %q."
	if hasNonASCII(name) {
		detail = "A %s name must use ASCII letters, digits, '-', '_' and '.' only; %q contains a character outside ASCII, perhaps a lookalike of a Latin letter. Retype the name."
	}
	l.diags = append(l.diags, errorAt(rangePtr(block.LabelRanges[0]), "Invalid "+what+" name", detail, what, name))
	return false
}

func hasNonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
	}
	return false
}

// suggest returns the candidate closest to given, or "" when none is close
// enough to be a likely typo. Beyond two edits, a candidate that starts
// like given (a shared start of at least four letters and most of the
// shorter word: "retries" for retry, "depends" for depends_on) is
// suggested when it is the only one that does.
func suggest(given string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if strings.EqualFold(c, given) {
			return c
		}
		if d := editDistance(given, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best != "" {
		return best
	}
	stem, n := "", 0
	for _, c := range candidates {
		p := commonPrefix(strings.ToLower(given), strings.ToLower(c))
		if p < 4 || 3*p < 2*min(len([]rune(given)), len([]rune(c))) {
			continue
		}
		if stem, n = c, n+1; n > 1 {
			return ""
		}
	}
	return stem
}

// commonPrefix is the number of runes a and b start with alike.
func commonPrefix(a, b string) int {
	x, y := []rune(a), []rune(b)
	n := 0
	for n < len(x) && n < len(y) && x[n] == y[n] {
		n++
	}
	return n
}

// editDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and swaps of two neighbouring letters each
// count 1, so the typo "wbe" is one step from "web" (plain Levenshtein
// says two, and would tie with "db").
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	prev2 := make([]int, len(y)+1)
	prev := make([]int, len(y)+1)
	cur := make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		cur[0] = i
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(y)]
}

// didYouMean renders a suggestion as the tail of a detail sentence.
func didYouMean(given string, candidates []string) string {
	if s := suggest(given, candidates); s != "" {
		return fmt.Sprintf(" Did you mean %q?", s)
	}
	return ""
}

// declared tracks the names of one block kind in declaration order.
type declared struct {
	order  []string
	ranges map[string]hcl.Range // label range of the first declaration
}

func newDeclared() *declared { return &declared{ranges: map[string]hcl.Range{}} }

func (d *declared) has(name string) bool { _, ok := d.ranges[name]; return ok }

// add records name; it returns false (and the first declaration's range)
// when the name was declared before.
func (d *declared) add(name string, rng hcl.Range) (hcl.Range, bool) {
	if first, ok := d.ranges[name]; ok {
		return first, false
	}
	d.ranges[name] = rng
	d.order = append(d.order, name)
	return hcl.Range{}, true
}

func (d *declared) sorted() []string {
	s := append([]string(nil), d.order...)
	sort.Strings(s)
	return s
}
