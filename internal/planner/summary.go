package planner

import (
	"fmt"
	"io"
	"strings"
)

// Counts tallies a plan's operations by kind.
type Counts struct {
	Create    int `json:"create"`
	Recreate  int `json:"recreate"`
	Start     int `json:"start"`
	Remove    int `json:"remove"`
	Unchanged int `json:"unchanged"`
	// Reapply counts kept services whose network setup is redone.
	Reapply int `json:"reapply,omitempty"`
}

// Count tallies p's operations; p may be nil.
func Count(p *Plan) Counts {
	var n Counts
	if p == nil {
		return n
	}
	for _, op := range p.Operations {
		switch op.Kind {
		case Create:
			n.Create++
		case Recreate:
			n.Recreate++
		case Start:
			n.Start++
		case Remove:
			n.Remove++
		case Keep:
			n.Unchanged++
		case Reapply:
			n.Reapply++
		}
	}
	return n
}

// Changed reports whether any operation changes something.
func (n Counts) Changed() bool { return n.Create+n.Recreate+n.Start+n.Remove+n.Reapply > 0 }

// Summary is "N to create, N to recreate, N to remove, N unchanged"
// (with "N to start" when some are stopped, and the network setups to
// re-apply when some were lost).
func Summary(p *Plan) string {
	return summary(Count(p), "to create", "to recreate", "to start", "to re-apply", "to remove")
}

// SummaryDone is Summary in the past tense, for after up.
func SummaryDone(p *Plan) string {
	return summary(Count(p), "created", "recreated", "started", "re-applied", "removed")
}

// summary joins the counts of n, each followed by its word; the counts to
// start and to re-apply only when there are some.
func summary(n Counts, create, recreate, start, reapply, remove string) string {
	parts := []string{fmt.Sprintf("%d %s", n.Create, create), fmt.Sprintf("%d %s", n.Recreate, recreate)}
	if n.Start > 0 {
		parts = append(parts, fmt.Sprintf("%d %s", n.Start, start))
	}
	if n.Reapply > 0 {
		parts = append(parts, fmt.Sprintf("%d network %s %s", n.Reapply, setups(n.Reapply), reapply))
	}
	parts = append(parts, fmt.Sprintf("%d %s", n.Remove, remove), fmt.Sprintf("%d unchanged", n.Unchanged))
	return strings.Join(parts, ", ")
}

func setups(n int) string {
	if n == 1 {
		return "setup"
	}
	return "setups"
}

// WriteText prints ops (p's operations, their causes redacted) grouped
// by resource kind, then a summary line.
func WriteText(w io.Writer, instance, environment string, ops []Operation, p *Plan) {
	fmt.Fprintf(w, "Plan for instance %s (environment %s):\n", instance, environment)
	groups := []struct {
		resource ResourceKind
		title    string
	}{
		{ResNetwork, "Networks"},
		{ResVolume, "Volumes"},
		{ResService, "Services"},
	}
	for _, g := range groups {
		var lines []string
		for _, op := range ops {
			if op.Resource == g.resource {
				lines = append(lines, "  "+opMark(op.Kind)+" "+op.String())
			}
		}
		if len(lines) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s:\n%s\n", g.title, strings.Join(lines, "\n"))
	}
	n := Count(p)
	fmt.Fprintf(w, "\n%s.\n", capitalize(Summary(p)))
	if !n.Changed() {
		fmt.Fprintln(w, "No changes: the instance matches the environment.")
	}
}

// opMark is a one-character sign per operation, as Terraform shows them.
func opMark(k OpKind) string {
	switch k {
	case Create:
		return "+"
	case Recreate:
		return "~"
	case Start:
		return ">"
	case Remove:
		return "-"
	case Reapply:
		return "*"
	default:
		return " "
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// ShortID is the first 12 characters of an engine ID.
func ShortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
