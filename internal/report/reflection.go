package report

import (
	"os"
	"strings"
)

// The reflection questions of the evaluation (B1-K2-W3), in the order
// they are asked. A heading of the student's notes goes under the first
// question whose words it uses; the order below is the order of matching,
// so "wat zou je anders doen" finds "differently" before "anders dan
// gepland" finds "anders".
var reflectionQuestions = []struct {
	key   string
	words []string
}{
	{"reflect.different", []string{"gepland", "anders dan", "anders liep", "afwijk", "verschil", "planned", "differen", "deviat", "went"}},
	{"reflect.cause", []string{"oorzaak", "oorzaken", "waarom", "reden", "cause", "why", "reason"}},
	{"reflect.next", []string{"volgende keer", "anders doen", "anders aanpakken", "verbeter", "geleerd", "next time", "would do", "do differently", "improve", "learn", "lesson"}},
	{"reflect.advice", []string{"advies", "adviseer", "opdrachtgever", "klant", "aanbevel", "advice", "advise", "client", "customer", "recommend"}},
}

// matchOrder is the order questions are tried in: the specific ones first.
var matchOrder = []int{2, 3, 1, 0}

// reflection is one question with what the student wrote under it.
type reflection struct {
	Question string
	Text     string
}

// reflections places the sections of notes (split at Markdown headings)
// under the reflection questions. Text before the first heading, and
// sections whose heading matches no question, are returned as other, in
// their own order, headings kept.
func reflections(notes string, m messages) (qs []reflection, other string) {
	qs = make([]reflection, len(reflectionQuestions))
	for i, q := range reflectionQuestions {
		qs[i].Question = m.T(q.key)
	}
	var rest []string
	for _, sec := range splitHeadings(notes) {
		body := strings.Trim(sec.body, "\n")
		i := matchQuestion(sec.heading)
		if i < 0 {
			if sec.heading != "" {
				body = strings.TrimRight(sec.line+"\n"+body, "\n")
			}
			if strings.TrimSpace(body) != "" {
				rest = append(rest, body)
			}
			continue
		}
		if qs[i].Text != "" {
			qs[i].Text += "\n\n"
		}
		qs[i].Text += body
	}
	return qs, strings.Join(rest, "\n\n")
}

func matchQuestion(heading string) int {
	h := strings.ToLower(heading)
	if h == "" {
		return -1
	}
	for _, i := range matchOrder {
		for _, w := range reflectionQuestions[i].words {
			if strings.Contains(h, w) {
				return i
			}
		}
	}
	return -1
}

type noteSection struct {
	heading string // the heading's text, "" before the first heading
	line    string // the heading line as written
	body    string
}

// splitHeadings splits Markdown at ATX headings (# ... ######) outside
// fenced code blocks.
func splitHeadings(s string) []noteSection {
	var out []noteSection
	cur := noteSection{}
	fence := ""
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		t := strings.TrimSpace(line)
		if fence == "" && (strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~")) {
			fence = t[:3]
		} else if fence != "" && strings.HasPrefix(t, fence) {
			fence = ""
		} else if fence == "" && strings.HasPrefix(t, "#") {
			level := len(t) - len(strings.TrimLeft(t, "#"))
			if level <= 6 && (len(t) == level || t[level] == ' ') {
				out = append(out, cur)
				cur = noteSection{heading: strings.TrimSpace(strings.Trim(t, "#")), line: t}
				continue
			}
		}
		cur.body += line + "\n"
	}
	out = append(out, cur)
	return out
}

// overran lists the steps that took longer than planned.
func overran(steps []Step) []Step {
	var out []Step
	for _, s := range steps {
		if s.PlannedMS > 0 && s.DurationMS > s.PlannedMS {
			out = append(out, s)
		}
	}
	return out
}

// plannedMS is the total of the steps' estimates, and whether any step
// has one.
func plannedMS(steps []Step) (int64, bool) {
	var total int64
	any := false
	for _, s := range steps {
		if s.PlannedMS > 0 {
			total += s.PlannedMS
			any = true
		}
	}
	return total, any
}

// diff is actual minus planned, signed ("+1 min 05 s", "−30 s").
func (m messages) diff(actual, planned int64) string {
	if actual >= planned {
		return "+" + m.duration(actual-planned)
	}
	return "−" + m.duration(planned-actual)
}

// overranText names the steps that took longer than planned, or says that
// none did; "" when no step has an estimate.
func (m messages) overranText(steps []Step) string {
	if _, ok := plannedMS(steps); !ok {
		return ""
	}
	over := overran(steps)
	if len(over) == 0 {
		return m.T("eval.time.in_time")
	}
	names := make([]string, len(over))
	for i, s := range over {
		names[i] = stepLabel(s) + " (" + m.diff(s.DurationMS, s.PlannedMS) + ")"
	}
	return m.T("eval.time.overran", strings.Join(names, ", "))
}

// amendedText says what was added after the run, and when; "" if nothing.
func (m messages) amendedText(r *Result) string {
	var parts []string
	for _, a := range r.Amended {
		var fields []string
		for _, f := range a.Fields {
			fields = append(fields, m.T("amended."+f))
		}
		parts = append(parts, strings.Join(fields, ", ")+" ("+m.date(a.At)+")")
	}
	return strings.Join(parts, "; ")
}

// ReadNotes reads the student's reflection from the Markdown file at path
// ("" when path is empty).
func ReadNotes(path string) (string, error) {
	if path == "" {
		return "", nil
	}
	data, err := os.ReadFile(path)
	return string(data), err
}
