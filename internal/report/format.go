package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// tailLines is how many lines of an action's output the human-readable
// reports show; result.json keeps the whole (already shortened) tail.
const tailLines = 40

// symbol is a status mark that also reads without colour.
func symbol(s Status) string {
	switch s {
	case Passed:
		return "✔"
	case Failed, Error:
		return "✘"
	case Skipped:
		return "○"
	case RolledBack:
		return "↺"
	case Interrupted:
		return "■"
	}
	return "?"
}

// verdictSymbol is the mark for a requirement verdict.
func verdictSymbol(v string) string {
	switch v {
	case Verified:
		return "✔"
	case VerdictFailed:
		return "✘"
	}
	return "○"
}

// duration formats milliseconds for people: "340 ms", "12,3 s" (nl) or
// "12.3 s" (en), "2 min 05 s".
func (m messages) duration(ms int64) string {
	if ms < 0 {
		ms = 0
	}
	switch {
	case ms < 1000:
		return fmt.Sprintf("%d ms", ms)
	case ms < 60_000:
		s := strconv.FormatFloat(float64(ms)/1000, 'f', 1, 64)
		if m.lang == "nl" {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s + " s"
	case ms < 3_600_000:
		sec := ms / 1000
		return fmt.Sprintf("%d min %02d s", sec/60, sec%60)
	default:
		min := ms / 60_000
		return fmt.Sprintf("%d h %02d min", min/60, min%60)
	}
}

// date formats a timestamp in its own zone: "12 maart 2026, 14:03 (UTC+01:00)".
func (m messages) date(t time.Time) string {
	if t.IsZero() {
		return m.T("meta.unknown")
	}
	zone := "UTC"
	if _, off := t.Zone(); off != 0 {
		zone = "UTC" + t.Format("-07:00")
	}
	return fmt.Sprintf("%d %s %d, %s (%s)", t.Day(), m.T("month."+strconv.Itoa(int(t.Month()))), t.Year(), t.Format("15:04"), zone)
}

// deviation is the sentence for one deviation, with its cause: the
// deviation's reason (translated) or detail, or else the actions and checks of the step (looked
// up in r) that did not pass.
func (m messages) deviation(d Deviation, r *Result) string {
	step := d.Step
	if step == "" {
		step = "?"
	}
	var s string
	switch d.Kind {
	case DevFailed:
		if d.Attempts > 1 {
			s = m.T("dev.failed.attempts", step, d.Attempts)
		} else {
			s = m.T("dev.failed", step)
		}
	case DevRetried:
		s = m.T("dev.retried", step, d.Attempts)
	case DevRolledBack:
		if d.Rollback == Failed || d.Rollback == Error || d.Rollback == Interrupted {
			s = m.T("dev.rolled_back.fail", step)
		} else {
			s = m.T("dev.rolled_back.ok", step)
		}
	case DevSkipped:
		s = m.T("dev.skipped", step)
	case DevResumed:
		s = m.T("dev.resumed", step)
	case DevInterrupted:
		s = m.T("dev.interrupted", step)
	default:
		s = m.T("dev.other", step, d.Kind)
	}
	if why := m.why(d.Reason, d.Detail); why != "" {
		s += " " + m.T("dev.cause", oneLine(why))
	} else if d.Kind == DevFailed || d.Kind == DevRolledBack {
		if items := m.failedItems(r, d.Step); items != "" {
			s += " " + m.T("dev.failed_items", items)
		}
	}
	return s
}

// failedItems names the actions and checks of step id that failed.
func (m messages) failedItems(r *Result, id string) string {
	if r == nil {
		return ""
	}
	for _, s := range r.Steps {
		if s.ID != id {
			continue
		}
		var parts []string
		for i, a := range s.Actions {
			if failedStatus(a.Status) {
				parts = append(parts, m.T("dev.item.action", i+1, oneLine(a.Kind)))
			}
		}
		for _, c := range s.Checks {
			if failedStatus(c.Status) {
				parts = append(parts, m.T("dev.item.check", oneLine(c.Name)))
			}
		}
		return strings.Join(parts, ", ")
	}
	return ""
}

// clean makes output text safe and readable in every format: valid UTF-8,
// no terminal escape sequences, no control characters except tab and
// newline, and for lines redrawn with carriage returns (progress bars)
// only what was drawn last. Characters illegal in XML 1.0 go too.
func clean(s string) string {
	if s == "" {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = stripANSI(s)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if strings.Contains(s, "\r") {
		lines := strings.Split(s, "\n")
		for i, l := range lines {
			if j := strings.LastIndex(strings.TrimRight(l, "\r"), "\r"); j >= 0 {
				l = strings.TrimRight(l, "\r")[j+1:]
			}
			lines[i] = strings.TrimRight(l, "\r")
		}
		s = strings.Join(lines, "\n")
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n':
			return r
		case r < 0x20 || r == 0x7f:
			return -1
		case r >= 0x80 && r < 0xa0: // C1 controls
			return -1
		case r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
			return -1
		}
		return r
	}, s)
}

// stripANSI removes CSI ("\x1b[...m") and OSC ("\x1b]...\a") sequences
// and other two-byte escapes.
func stripANSI(s string) string {
	if !strings.Contains(s, "\x1b") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != 0x1b {
			b.WriteByte(s[i])
			continue
		}
		if i+1 >= len(s) {
			break
		}
		switch s[i+1] {
		case '[':
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			i = j
		case ']':
			j := i + 2
			for j < len(s) && s[j] != 0x07 && !(s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\') {
				j++
			}
			if j < len(s) && s[j] == 0x1b {
				j++
			}
			i = j
		default:
			i++
		}
	}
	return b.String()
}

// tail returns the last n lines of cleaned output and whether lines were
// left out.
func tail(s string, n int) (string, bool) {
	s = strings.TrimRight(clean(s), "\n")
	if s == "" {
		return "", false
	}
	lines := strings.Split(s, "\n")
	if len(lines) <= n {
		return s, false
	}
	return strings.Join(lines[len(lines)-n:], "\n"), true
}

// oneLine folds text to one line for messages and table cells.
func oneLine(s string) string {
	s = clean(s)
	return strings.Join(strings.Fields(s), " ")
}

// shorten cuts s to at most n runes, marking the cut.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// orDash is s, or "—" when s is empty.
func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// commandLine renders an argv as a shell-like line, quoting where needed.
func commandLine(argv []string) string {
	parts := make([]string, len(argv))
	for i, a := range argv {
		if a != "" && !strings.ContainsAny(a, " \t\n'\"\\$`|&;<>()*?[]{}#~!") {
			parts[i] = a
			continue
		}
		if !strings.Contains(a, "'") {
			parts[i] = "'" + a + "'"
			continue
		}
		// Double quotes read better than the '\'' single quotes need.
		parts[i] = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`").Replace(a) + `"`
	}
	return strings.Join(parts, " ")
}

// stepLabel is "id — title" or the id alone.
func stepLabel(s Step) string {
	if s.Title != "" && s.Title != s.ID {
		return s.ID + " — " + s.Title
	}
	return s.ID
}

// checkLabel is "name — title" or the name alone.
func checkLabel(c Check) string {
	if c.Title != "" && c.Title != c.Name {
		return c.Name + " — " + c.Title
	}
	return c.Name
}

// envTitle is the environment's title, else its name.
func envTitle(r *Result) string {
	if r.Environment.Title != "" {
		return r.Environment.Title
	}
	return r.Environment.Name
}

// titleKey is the report title's key for the result kind.
func titleKey(r *Result) string {
	if r.Kind == "check" {
		return "title.check"
	}
	return "title"
}

// engineLine is "27.1.1 (API 1.47, linux/amd64)".
func engineLine(e EngineInfo) string {
	var extra []string
	if e.APIVersion != "" {
		extra = append(extra, "API "+e.APIVersion)
	}
	if e.OS != "" || e.Arch != "" {
		extra = append(extra, strings.Trim(e.OS+"/"+e.Arch, "/"))
	}
	s := e.ServerVersion
	if len(extra) > 0 {
		s = strings.TrimSpace(s + " (" + strings.Join(extra, ", ") + ")")
	}
	return s
}

// exitCode is the exit code as text, or "" when there is none.
func exitCode(a Action) string {
	if a.ExitCode == nil {
		return ""
	}
	return strconv.Itoa(*a.ExitCode)
}

// percent is part of total as a whole percentage.
func percent(part, total int64) int {
	if total <= 0 || part <= 0 {
		return 0
	}
	return int((part*100 + total/2) / total)
}

// stepsTotalMS sums the steps' durations.
func stepsTotalMS(steps []Step) int64 {
	var t int64
	for _, s := range steps {
		if s.DurationMS > 0 {
			t += s.DurationMS
		}
	}
	return t
}

// unverified are the requirements whose verdict is not "verified".
func unverified(r *Result) []MatrixRow {
	var out []MatrixRow
	for _, row := range r.Matrix {
		if row.Verdict != Verified {
			out = append(out, row)
		}
	}
	return out
}

// unverifiedReason says why a requirement is not verified.
func (m messages) unverifiedReason(row MatrixRow) string {
	if row.Verdict == VerdictFailed {
		return m.T("eval.unverified.failed")
	}
	return m.T("eval.unverified.nocheck")
}

// outputLabel is the label above an output tail, saying whether and how
// it was shortened: by this renderer (cut) or already by the runner.
func (m messages) outputLabel(label, shown string, cut, truncated bool) string {
	switch {
	case cut:
		return label + " (" + m.T("action.tail", strings.Count(shown, "\n")+1) + ")"
	case truncated:
		return label + " (" + m.T("action.truncated") + ")"
	}
	return label
}
