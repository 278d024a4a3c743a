package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// textValueLines is how many lines of an expected or actual value the
// terminal summary shows.
const textValueLines = 8

// RenderText writes the compact terminal summary: one line per step,
// failed checks with expected and actual, the deviations and the
// requirement verdicts. No colour codes; the CLI adds colour, and prints
// the paths of the files it wrote.
func RenderText(w io.Writer, r *Result, lang string) error {
	m, err := catalogueFor(r, lang)
	if err != nil {
		return err
	}
	b := bufio.NewWriter(w)
	title := m.T(titleKey(r))
	if t := envTitle(r); t != "" {
		title += ": " + oneLine(t)
	}
	fmt.Fprintln(b, title)
	var facts []string
	if r.Environment.Name != "" {
		facts = append(facts, strings.ToLower(m.T("meta.environment"))+" "+oneLine(r.Environment.Name))
	}
	if r.Environment.Instance != "" {
		facts = append(facts, strings.ToLower(m.T("meta.instance"))+" "+oneLine(r.Environment.Instance))
	}
	if r.Plan != nil && r.Plan.Name != "" {
		facts = append(facts, strings.ToLower(m.T("meta.plan"))+" "+oneLine(r.Plan.Name))
	}
	if len(facts) > 0 {
		fmt.Fprintln(b, strings.Join(facts, " · "))
	}
	fmt.Fprintf(b, "%s (%s)\n", m.T("text.result", symbol(r.Status)+" "+m.status(r.Status)), m.duration(r.DurationMS))

	if len(r.Steps) > 0 {
		fmt.Fprintf(b, "\n%s\n", m.T("steps"))
		labels := make([]string, len(r.Steps))
		width := 0
		for i, s := range r.Steps {
			labels[i] = shorten(fmt.Sprintf("%d. %s", i+1, oneLine(stepLabel(s))), 60)
			width = max(width, utf8.RuneCountInString(labels[i]))
		}
		for i, s := range r.Steps {
			line := fmt.Sprintf("  %s %s  %s", symbol(s.Status), pad(labels[i], width), pad(m.status(s.Status), 14))
			line += "  " + m.duration(s.DurationMS)
			if s.Attempts > 1 {
				line += fmt.Sprintf(" (%d %s)", s.Attempts, strings.ToLower(m.T("col.attempts")))
			}
			fmt.Fprintln(b, strings.TrimRight(line, " "))
			for j, a := range s.Actions {
				if failedStatus(a.Status) {
					textAction(b, m, j+1, a, "      ")
				}
			}
			for _, c := range s.Checks {
				if failedStatus(c.Status) {
					textCheck(b, m, c, "      ")
				}
			}
			if why := m.why(s.Reason, s.Error); why != "" && !hasFailedCheck(s.Checks) {
				fmt.Fprintf(b, "      %s: %s\n", m.T("step.error"), shorten(oneLine(why), 200))
			}
		}
	}

	if len(r.Acceptance) > 0 {
		fmt.Fprintf(b, "\n%s\n", m.T("acceptance"))
		width := 0
		for _, c := range r.Acceptance {
			width = max(width, utf8.RuneCountInString(shorten(oneLine(c.Name), 60)))
		}
		for _, c := range r.Acceptance {
			line := fmt.Sprintf("  %s %s  %s  %s", symbol(c.Status), pad(shorten(oneLine(c.Name), 60), width), pad(m.status(c.Status), 14), m.duration(c.DurationMS))
			fmt.Fprintln(b, line)
			if failedStatus(c.Status) {
				textValues(b, m, c, "      ")
			}
		}
	}

	if len(r.Deviations) > 0 {
		fmt.Fprintf(b, "\n%s\n", m.T("eval.deviations"))
		for _, d := range r.Deviations {
			fmt.Fprintf(b, "  - %s\n", shorten(m.deviation(d, r), 300))
		}
	}

	q := r.Summary.Requirements
	fmt.Fprintln(b)
	if r.HasSteps() {
		fmt.Fprintf(b, "%s: %s\n", m.T("steps"), countsLine(m, r.Summary.Steps))
	}
	fmt.Fprintf(b, "%s: %s\n", m.T("checks"), countsLine(m, r.Summary.Checks))
	fmt.Fprintf(b, "%s: %s\n", m.T("requirements"), m.T("summary.requirements", q.Verified, q.Total, q.Failed, q.NotVerified))
	un := unverified(r)
	width := 0
	for _, row := range un {
		width = max(width, utf8.RuneCountInString(shorten(oneLine(row.ID), 40)))
	}
	for _, row := range un {
		fmt.Fprintf(b, "  %s %s  %s\n", verdictSymbol(row.Verdict), pad(shorten(oneLine(row.ID), 40), width), m.verdict(row.Verdict))
	}
	return b.Flush()
}

// countsLine is "6 totaal: 3 geslaagd, 1 mislukt, 1 overgeslagen"; zero
// counts other than passed and failed are left out.
func countsLine(m messages, c Counts) string {
	parts := []string{
		fmt.Sprintf("%d %s", c.Passed, strings.ToLower(m.status(Passed))),
		fmt.Sprintf("%d %s", c.Failed, strings.ToLower(m.status(Failed))),
	}
	for _, x := range []struct {
		n int
		s Status
	}{{c.Skipped, Skipped}, {c.RolledBack, RolledBack}, {c.Interrupted, Interrupted}} {
		if x.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", x.n, strings.ToLower(m.status(x.s))))
		}
	}
	return fmt.Sprintf("%d %s: %s", c.Total, strings.ToLower(m.T("summary.total")), strings.Join(parts, ", "))
}

func textCheck(b *bufio.Writer, m messages, c Check, indent string) {
	fmt.Fprintf(b, "%s%s %s %s\n", indent, symbol(c.Status), strings.ToLower(m.T("check")), oneLine(c.Name))
	textValues(b, m, c, indent+"    ")
}

// textAction says why action n did not pass, with the last line of its
// error output (or of its output), where the cause usually is.
func textAction(b *bufio.Writer, m messages, n int, a Action, indent string) {
	line := indent + symbol(a.Status) + " " + m.T("dev.item.action", n, a.Kind)
	if why := m.actionWhy(a); why != "" {
		line += ": " + shorten(oneLine(why), 160)
	}
	fmt.Fprintln(b, line)
	for _, o := range []struct{ label, text string }{{m.T("action.stderr"), a.Stderr}, {m.T("action.stdout"), a.Stdout}} {
		if last, _ := tail(o.text, 1); last != "" {
			fmt.Fprintf(b, "%s    %s: %s\n", indent, o.label, shorten(oneLine(last), 160))
			break
		}
	}
}

// textValues prints expected and actual, continuation lines aligned.
func textValues(b *bufio.Writer, m messages, c Check, indent string) {
	le, la := m.T("expected")+":", m.T("actual")+":"
	w := max(utf8.RuneCountInString(le), utf8.RuneCountInString(la))
	for _, kv := range []struct{ k, v string }{{le, m.checkExpected(c)}, {la, m.checkActual(c)}} {
		v, cut := head(clean(kv.v), textValueLines)
		lines := strings.Split(v, "\n")
		if v == "" {
			lines = []string{"—"}
		}
		if cut {
			lines = append(lines, "…")
		}
		for i, l := range lines {
			k := ""
			if i == 0 {
				k = kv.k
			}
			fmt.Fprintf(b, "%s%s %s\n", indent, pad(k, w), shorten(l, 160))
		}
	}
}

// head returns the first n lines of s and whether lines were left out.
func head(s string, n int) (string, bool) {
	s = strings.TrimRight(s, "\n")
	lines := strings.Split(s, "\n")
	if len(lines) <= n {
		return s, false
	}
	return strings.Join(lines[:n], "\n"), true
}

func pad(s string, w int) string {
	if n := utf8.RuneCountInString(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

func failedStatus(s Status) bool { return s == Failed || s == Error }

func hasFailedCheck(cs []Check) bool {
	for _, c := range cs {
		if failedStatus(c.Status) {
			return true
		}
	}
	return false
}
