package grade

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"html/template"
	"path/filepath"
	"strconv"
	"time"

	"github.com/proeftuin/proeftuin/internal/atomicfile"
	"github.com/proeftuin/proeftuin/internal/report"
)

// write renders the class into out: grades.json first (the source of
// everything else), then grades.csv and overview.html.
func (c *Class) write(out string, now time.Time) error {
	c.Schema, c.Generated = 1, now.UTC()
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(out, "grades.json"), append(b, '\n'), 0o644); err != nil {
		return err
	}
	csvText, err := c.CSV()
	if err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(out, "grades.csv"), csvText, 0o644); err != nil {
		return err
	}
	html, err := c.Overview()
	if err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(out, "overview.html"), html, 0o644); err != nil {
		return err
	}
	return nil
}

// CSV is grades.csv: student,status,points,max_points,percent, then the
// points of each requirement id and each hidden check of the rubric.
func (c *Class) CSV() ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	head := []string{"student", "status", "points", "max_points", "percent"}
	head = append(head, c.Rubric.Requirements...)
	for _, ch := range c.Rubric.Checks {
		head = append(head, ch.Name)
	}
	if err := w.Write(head); err != nil {
		return nil, err
	}
	for _, r := range c.Results {
		row := []string{r.Student, r.Status, strconv.Itoa(r.Points), strconv.Itoa(r.MaxPoints), strconv.FormatFloat(r.Percent, 'f', 1, 64)}
		for _, id := range c.Rubric.Requirements {
			row = append(row, strconv.Itoa(r.Requirements[id].Points))
		}
		for _, ch := range c.Rubric.Checks {
			row = append(row, strconv.Itoa(r.check(ch.Name).Points))
		}
		if err := w.Write(row); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

func (r *Result) check(name string) Check {
	for _, c := range r.Checks {
		if c.Name == name {
			return c
		}
	}
	return Check{Name: name}
}

var words = map[string]map[string]string{
	"en": {"title": "Grades", "student": "Student", "status": "Status", "points": "Points", "duration": "Duration", "warnings": "Warnings"},
	"nl": {"title": "Cijfers", "student": "Student", "status": "Status", "points": "Punten", "duration": "Duur", "warnings": "Waarschuwingen"},
}

func (c *Class) t(key string) string {
	if w, ok := words[c.Lang]; ok {
		return w[key]
	}
	return words["en"][key]
}

var overviewTmpl = template.Must(template.New("overview").Funcs(template.FuncMap{
	"reqPoints": func(r *Result, id string) int { return r.Requirements[id].Points },
	"chkPoints": func(r *Result, name string) int { return r.check(name).Points },
}).Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{call .T "title"}}: {{.C.Rubric.Title}}</title>
<style>body{font-family:sans-serif}table{border-collapse:collapse}table{font-size:12px}td,th{border:1px solid #ccc;padding:2px 4px}th{white-space:nowrap}.id,.status,.num{white-space:nowrap}.num{text-align:right}
.passed{background:#dfd}.failed,.timed_out,.error{background:#fdd}.invalid,.refused{background:#ffd}</style></head>
<body><h1>{{call .T "title"}}: {{.C.Rubric.Title}}</h1>
{{with .Warnings}}<h2>{{call $.T "warnings"}}</h2><ul>{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}
<table><thead><tr><th>{{call .T "student"}}</th><th>{{call .T "status"}}</th><th>{{call .T "points"}}</th><th>%</th>
{{range .C.Rubric.Requirements}}<th>{{.}}</th>{{end}}{{range .C.Rubric.Checks}}<th>{{.Name}}</th>{{end}}<th>{{call .T "duration"}}</th></tr></thead>
<tbody>{{range $r := .C.Results}}<tr class="{{$r.Status}}"><td class="id">{{$r.Student}}</td><td class="status">{{call $.Status $r.Status}}</td><td class="num">{{$r.Points}}/{{$r.MaxPoints}}</td><td class="num">{{printf "%.1f" $r.Percent}}</td>
{{range $.C.Rubric.Requirements}}<td class="num">{{reqPoints $r .}}</td>{{end}}{{range $.C.Rubric.Checks}}<td class="num">{{chkPoints $r .Name}}</td>{{end}}<td class="num">{{printf "%.1f s" $r.Duration}}</td></tr>
{{end}}</tbody></table></body></html>
`))

// Overview is overview.html: students × requirements and checks.
func (c *Class) Overview() ([]byte, error) {
	lang := c.Lang
	if words[lang] == nil {
		lang = "en"
	}
	var buf bytes.Buffer
	err := overviewTmpl.Execute(&buf, struct {
		C        *Class
		Lang     string
		T        func(string) string
		Status   func(string) string
		Warnings []string
	}{c, lang, c.t, func(s string) string { return report.GradeStatus(s, lang) }, similar(c.Results, lang)})
	return buf.Bytes(), err
}

// Feedback is the feedback section of r's evaluation report at now:
// the grade, what is missing, and the hidden checks as their visibility
// allows. A "hidden" check is left out altogether, "name" gives its title,
// result and points, "after_due" its expected and actual values too once
// the due date has passed.
func (c *Class) Feedback(r *Result, now time.Time) *report.Feedback {
	f := &report.Feedback{Status: r.Status, Points: r.Points, MaxPoints: r.MaxPoints, Percent: r.Percent,
		Reason: r.Reason, ReasonText: r.ReasonText, Missing: r.Missing, Diagnostics: r.Diagnostics}
	for _, id := range c.Rubric.Requirements {
		q := r.Requirements[id]
		f.Requirements = append(f.Requirements, report.FeedbackRequirement{ID: id, Verdict: q.Verdict, Points: q.Points, Max: q.Max})
	}
	due := c.Rubric.Due != nil && now.After(*c.Rubric.Due)
	for _, info := range c.Rubric.Checks {
		if info.Visibility != "name" && info.Visibility != "after_due" {
			continue // hidden: nothing of it reaches the student
		}
		ch := r.check(info.Name)
		fc := report.FeedbackCheck{Title: info.Title, Status: ch.Status, Points: ch.Points, Max: info.Points}
		if fc.Title == "" {
			fc.Title = info.Name
		}
		if fc.Status == "" {
			fc.Status = report.Skipped
		}
		if info.Visibility == "after_due" && due {
			fc.Values = true
			fc.Expected, fc.Actual, fc.ExpectedText, fc.ActualText, fc.Reason = ch.Expected, ch.Actual, ch.ExpectedText, ch.ActualText, ch.Reason
		}
		f.Checks = append(f.Checks, fc)
	}
	return f
}

// reportFormats are the formats of a student's evaluation report.
var reportFormats = []string{"json", "md", "html"}

// writeReport writes r's evaluation report with its feedback section
// into out/<student>/report: the report of the student's own run, or,
// when the submission never ran (invalid, refused), a report that holds
// only the feedback and the student's notes.
func (c *Class) writeReport(out string, r *Result, now time.Time) error {
	dir := filepath.Join(out, r.Student, "report")
	res, err := report.Load(filepath.Join(dir, "result.json"))
	if err != nil {
		res = &report.Result{Schema: report.SchemaVersion, Kind: "run", Status: report.Skipped,
			Environment: report.EnvInfo{Name: c.Rubric.Name, Title: c.Rubric.Title, Instance: "grade-" + r.Student},
			Author:      r.Student, Notes: r.Notes}
	}
	res.Feedback = c.Feedback(r, now)
	_, err = report.Write(dir, res, reportFormats, c.Lang)
	return err
}
