package cmdline

import (
	"fmt"

	ucli "github.com/urfave/cli/v2"
	"github.com/xrash/smetrics"
)

// Closest is the candidate most like s, or "" when none is close enough
// to be what was meant.
func Closest(s string, candidates []string) string {
	best, score := "", 0.0
	for _, c := range candidates {
		if d := smetrics.JaroWinkler(s, c, 0.7, 4); d > score {
			best, score = c, d
		}
	}
	if score < 0.8 {
		return ""
	}
	return best
}

// DidYouMean is " Did you mean X?" for the closest candidate, or "".
func DidYouMean(s string, candidates []string) string {
	if c := Closest(s, candidates); c != "" {
		return fmt.Sprintf(" Did you mean %q?", c)
	}
	return ""
}

// CommandNames lists the visible names of commands.
func CommandNames(commands []*ucli.Command) []string {
	var out []string
	for _, c := range commands {
		if !c.Hidden {
			out = append(out, c.Names()...)
		}
	}
	return out
}

// FlagNames lists the names of flags as written ("--name", "-n").
func FlagNames(flags []ucli.Flag) []string {
	var out []string
	for _, f := range flags {
		for _, n := range f.Names() {
			if len(n) == 1 {
				out = append(out, "-"+n)
			} else {
				out = append(out, "--"+n)
			}
		}
	}
	return out
}
