package report

import (
	"fmt"
	"strings"
)

// Feedback is what `proeftuin grade` adds to a student's evaluation
// report: the grade, what the assignment required and the submission
// lacks, and the teacher's hidden checks as their visibility allows.
// It is built for the student's eyes: a check whose visibility hides it
// is never put in it, and Expected and Actual only once they may be
// shown, so nothing rendered from it can leak what it does not hold.
type Feedback struct {
	// Status is the grade's: passed, failed, invalid, refused,
	// timed_out or error.
	Status    string  `json:"status"`
	Points    int     `json:"points"`
	MaxPoints int     `json:"max_points"`
	Percent   float64 `json:"percent"`
	Reason    string  `json:"reason,omitempty"`
	// ReasonText is Reason as phrases of the grade (GradeReason), which
	// reports translate; absent for a reason given only in English.
	ReasonText   Text                  `json:"reason_text,omitempty"`
	Missing      []string              `json:"missing,omitempty"`
	Diagnostics  string                `json:"diagnostics,omitempty"`
	Requirements []FeedbackRequirement `json:"requirements,omitempty"`
	Checks       []FeedbackCheck       `json:"checks,omitempty"`
}

// FeedbackRequirement is a requirement id the rubric gives points for.
type FeedbackRequirement struct {
	ID      string `json:"id"`
	Verdict string `json:"verdict"` // a MatrixRow verdict, or "missing"
	Points  int    `json:"points"`
	Max     int    `json:"max"`
}

// FeedbackCheck is a hidden check that may be shown: its title, result
// and points, and (Values) what it expected and found.
type FeedbackCheck struct {
	Title  string `json:"title"`
	Status Status `json:"status"`
	Points int    `json:"points"`
	Max    int    `json:"max"`
	// Values is set when the check's expected and actual may be shown
	// (visibility after_due, past the due date).
	Values       bool    `json:"values,omitempty"`
	Expected     string  `json:"expected,omitempty"`
	Actual       string  `json:"actual,omitempty"`
	ExpectedText Text    `json:"expected_text,omitempty"`
	ActualText   Text    `json:"actual_text,omitempty"`
	Reason       *Reason `json:"reason,omitempty"`
}

// fbView is the feedback with every text in the report's language, for
// the Markdown and HTML renderers alike.
type fbView struct {
	Status, Points, Reason, Diagnostics string
	Missing                             []string
	Reqs                                []fbRow
	Checks                              []fbRow
	Values                              bool
}

type fbRow struct {
	Name, Result, Points, Expected, Actual string
}

// gradeStatuses are the statuses of a grade, each with a message.
var gradeStatuses = map[string]bool{"passed": true, "failed": true, "invalid": true, "refused": true, "timed_out": true, "error": true}

func (m messages) feedbackView(f *Feedback) *fbView {
	if f == nil {
		return nil
	}
	v := &fbView{Status: f.Status, Reason: m.gradeReason(f.ReasonText, f.Reason), Diagnostics: strings.TrimRight(clean(f.Diagnostics), "\n")}
	if gradeStatuses[f.Status] {
		v.Status = m.T("grade." + f.Status)
	}
	v.Points = m.T("grade.points_of", f.Points, f.MaxPoints, m.percent(f.Percent))
	for _, s := range f.Missing {
		v.Missing = append(v.Missing, m.missing(s))
	}
	for _, q := range f.Requirements {
		verdict := m.verdict(q.Verdict)
		if q.Verdict == "missing" {
			verdict = m.T("grade.missing")
		}
		v.Reqs = append(v.Reqs, fbRow{Name: q.ID, Result: verdict, Points: fmt.Sprintf("%d/%d", q.Points, q.Max)})
	}
	for _, c := range f.Checks {
		row := fbRow{Name: c.Title, Result: m.status(c.Status), Points: fmt.Sprintf("%d/%d", c.Points, c.Max)}
		if c.Values {
			v.Values = true
			chk := Check{Expected: c.Expected, Actual: c.Actual, ExpectedText: c.ExpectedText, ActualText: c.ActualText, Reason: c.Reason}
			row.Expected, row.Actual = orDash(m.checkExpected(chk)), orDash(m.checkActual(chk))
		}
		v.Checks = append(v.Checks, row)
	}
	return v
}

// GradeStatus is a grade's status ("passed", "failed", "invalid",
// "refused", "timed_out", "error") in lang, in a word or two for a table
// cell (the feedback's longer label without its explanation); status
// itself when unknown.
func GradeStatus(status, lang string) string {
	m, err := catalogue(lang)
	if err != nil {
		return status
	}
	label, ok := m.m["grade."+status]
	if !ok {
		return status
	}
	short, _, _ := strings.Cut(label, " (")
	return short
}

// GradeReason is t, phrases of a grade's reason (keys "invalid",
// "refused", "timed_out", "disk", "not_up" with their arguments), in
// lang; "" when a key is unknown or its arguments do not fit.
func GradeReason(t Text, lang string) string {
	m, err := catalogue(lang)
	if err != nil {
		return ""
	}
	parts := make([]string, 0, len(t))
	for _, p := range t {
		msg, ok := m.m["grade.why."+p.Key]
		if !ok || verbCount(msg) != len(p.Args) {
			return ""
		}
		args := make([]any, len(p.Args))
		for i, a := range p.Args {
			args[i] = a
		}
		parts = append(parts, fmt.Sprintf(msg, args...))
	}
	return strings.Join(parts, "; ")
}

// gradeReason is a grade's reason in m's language when its phrases say
// what the stored English text says, else that text.
func (m messages) gradeReason(t Text, english string) string {
	if len(t) > 0 && GradeReason(t, "en") == english {
		if s := GradeReason(t, m.lang); s != "" {
			return s
		}
	}
	return english
}

// missing translates "service web" and "requirement FR-01".
func (m messages) missing(s string) string {
	kind, name, ok := strings.Cut(s, " ")
	if !ok || kind != "service" && kind != "requirement" {
		return s
	}
	return m.T("grade.missing."+kind, name)
}

// percent is 66.7 as the language writes it (66,7 in Dutch).
func (m messages) percent(p float64) string {
	s := fmt.Sprintf("%.1f", p)
	if m.lang == "nl" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// feedback writes the feedback section of report.md.
func (md *mdWriter) feedback(r *Result) {
	v := md.m.feedbackView(r.Feedback)
	if v == nil {
		return
	}
	m := md.m
	md.line("## " + m.T("grade"))
	md.line("")
	md.line("- " + m.T("grade.status") + ": **" + mdText(v.Status) + "**")
	md.line("- " + m.T("grade.points") + ": " + mdText(v.Points))
	if v.Reason != "" {
		md.line("- " + m.T("grade.reason") + ": " + mdText(oneLine(v.Reason)))
	}
	for _, s := range v.Missing {
		md.line("- " + mdText(s))
	}
	md.line("")
	if v.Diagnostics != "" {
		md.line("```")
		md.line(strings.ReplaceAll(v.Diagnostics, "```", "'''"))
		md.line("```")
		md.line("")
	}
	if len(v.Reqs) > 0 {
		md.line("| " + m.T("grade.requirement") + " | " + m.T("col.status") + " | " + m.T("grade.points") + " |")
		md.line("| --- | --- | ---: |")
		for _, q := range v.Reqs {
			md.line("| " + mdCell(q.Name) + " | " + mdCell(q.Result) + " | " + q.Points + " |")
		}
		md.line("")
	}
	if len(v.Checks) > 0 {
		head := []string{m.T("grade.check"), m.T("col.status"), m.T("grade.points")}
		align := "| --- | --- | ---: |"
		if v.Values {
			head = append(head, m.T("expected"), m.T("actual"))
			align += " --- | --- |"
		}
		md.line("| " + strings.Join(head, " | ") + " |")
		md.line(align)
		for _, c := range v.Checks {
			cells := []string{mdCell(c.Name), mdCell(c.Result), c.Points}
			if v.Values {
				cells = append(cells, mdCell(c.Expected), mdCell(c.Actual))
			}
			md.line("| " + strings.Join(cells, " | ") + " |")
		}
		md.line("")
	}
}
