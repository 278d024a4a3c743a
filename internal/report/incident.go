package report

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/proeftuin/proeftuin/internal/htmlwrap"
)

// IncidentSchema is the version of the incident report document.
const IncidentSchema = 1

// Incident is the incident report of a fault exercise (P1-K1-W1): the
// ticket, the diagnosis timeline, time to repair, hints, the recovered
// checks before and after, and the student's reflection. Cause is only
// set in the teacher's view.
type Incident struct {
	Schema        int             `json:"schema"`
	ID            string          `json:"id"`
	Environment   string          `json:"environment"`
	Instance      string          `json:"instance"`
	Fault         string          `json:"fault"`
	Ticket        string          `json:"ticket"`
	Priority      string          `json:"priority"`
	Category      string          `json:"category"`
	Status        string          `json:"status"`
	ReportedAt    time.Time       `json:"reported_at"`
	ClosedAt      time.Time       `json:"closed_at,omitzero"`
	TimeToRepairS int64           `json:"time_to_repair_s"`
	HintsUsed     int             `json:"hints_used"`
	HintsTotal    int             `json:"hints_total"`
	Timeline      []IncidentEvent `json:"timeline"`
	Before        []Check         `json:"before,omitempty"`
	After         []Check         `json:"after,omitempty"`
	Author        string          `json:"author,omitempty"`
	Notes         string          `json:"notes,omitempty"`
	Cause         *IncidentCause  `json:"cause,omitempty"`
}

// IncidentEvent is one line of the timeline. Kind is start, injected,
// exec, logs, hint, check, resolved or reset.
type IncidentEvent struct {
	Time time.Time `json:"time"`
	Kind string    `json:"kind"`
	Text string    `json:"text,omitempty"`
	// N of Of: the hint's number, or how many recovered checks passed;
	// the report words them in its language instead of Text.
	N  int `json:"n,omitempty"`
	Of int `json:"of,omitempty"`
}

// eventText is the event's text in m's language where the kind says what
// it is; otherwise (an error, a command) as recorded.
func (m messages) eventText(e IncidentEvent) string {
	switch {
	case e.Kind == "start" || e.Kind == "resolved":
		return ""
	case e.Kind == "injected" && e.Text == "the fault was injected":
		return ""
	case (e.Kind == "hint" || e.Kind == "check") && e.Of > 0:
		return m.T("incident.text."+e.Kind, e.N, e.Of)
	}
	return e.Text
}

// IncidentCause is the teacher's part: what the fault did and the
// reference repair.
type IncidentCause struct {
	Title    string   `json:"title"`
	Inject   []Action `json:"inject,omitempty"`
	Solution []string `json:"solution,omitempty"`
}

// IncidentFiles are the file names of the incident report, by format.
var IncidentFiles = map[string]string{
	"md": "incident.md", "html": "incident.html", "json": "incident-report.json", "junit": "incident-junit.xml",
}

// IncidentFormats are the incident report's formats, in order.
var IncidentFormats = []string{"md", "html", "json", "junit"}

// WriteIncident writes the report in every format into dir, atomically.
func WriteIncident(dir string, inc *Incident, lang string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return writeFormats(dir, IncidentFormats, IncidentFiles, func(w io.Writer, f string) error {
		return RenderIncident(w, inc, f, lang)
	})
}

// RenderIncident writes the report in format (md, html, json, junit) and
// lang (nl, en).
func RenderIncident(w io.Writer, inc *Incident, format, lang string) error {
	m, err := catalogue(lang)
	if err != nil {
		return err
	}
	if inc == nil {
		return errors.New("report: no incident")
	}
	switch CanonicalFormat(format) {
	case "md":
		_, err = io.WriteString(w, incidentMarkdown(inc, m))
	case "html":
		err = incidentHTML(w, inc, m)
	case "json":
		cp := *inc
		cp.Schema = IncidentSchema
		var data []byte
		data, err = json.MarshalIndent(&cp, "", "  ")
		if err == nil {
			_, err = w.Write(append(data, '\n'))
		}
	case "junit":
		err = incidentJUnit(w, inc, m)
	default:
		err = fmt.Errorf("report: unknown incident report format %q: choose one of %s", format, strings.Join(IncidentFormats, ", "))
	}
	return err
}

func (m messages) incidentStatus(s string) string { return m.T("incident.status." + s) }

func (m messages) eventKind(k string) string { return m.T("incident.event." + k) }

func incidentMarkdown(inc *Incident, m messages) string {
	var sb strings.Builder
	md := &mdWriter{w: bufio.NewWriter(&sb), m: m}
	md.line("# " + m.T("incident.title") + " " + inc.ID)
	md.line("")
	md.line("## " + m.T("incident.ticket"))
	md.line("")
	md.line("| | |\n|---|---|")
	for _, kv := range incidentFacts(inc, m) {
		md.line("| " + kv[0] + " | " + mdCell(kv[1]) + " |")
	}
	md.line("")
	md.line("> " + strings.ReplaceAll(mdText(inc.Ticket), "\n", "\n> "))
	md.line("")
	md.line("## " + m.T("incident.timeline"))
	md.line("")
	for _, e := range inc.Timeline {
		text := mdText(m.eventText(e))
		if e.Kind == "exec" || e.Kind == "logs" {
			text = mdCode(e.Text)
		}
		md.line(strings.TrimRight("- "+e.Time.UTC().Format("15:04:05")+" **"+m.eventKind(e.Kind)+"** "+text, " "))
	}
	md.line("")
	for _, part := range []struct {
		key    string
		checks []Check
	}{{"incident.before", inc.Before}, {"incident.after", inc.After}} {
		md.line("## " + m.T(part.key))
		md.line("")
		if len(part.checks) == 0 {
			md.line(m.T("none"))
		} else {
			md.line("| " + m.T("check") + " | " + m.T("col.status") + " |\n|---|---|")
			for _, c := range part.checks {
				md.line("| " + mdCell(checkLabel(c)) + " | " + md.status(c.Status) + " |")
			}
		}
		md.line("")
	}
	md.w.WriteString("## " + m.T("eval") + "\n\n")
	md.reflection(inc.Notes, "incident.reflect.intro")
	if c := inc.Cause; c != nil {
		md.line("## " + m.T("incident.cause"))
		md.line("")
		md.line(mdText(c.Title))
		md.line("")
		for _, a := range c.Inject {
			md.line("- " + mdText(incidentAction(a)))
		}
		md.line("")
		md.line("## " + m.T("incident.solution"))
		md.line("")
		for _, s := range c.Solution {
			md.line("- " + mdText(s))
		}
		md.line("")
	}
	md.w.Flush()
	return sb.String()
}

func incidentAction(a Action) string {
	s := a.Kind
	if a.Service != "" {
		s += " " + a.Service
	}
	if len(a.Command) > 0 {
		s += ": " + commandLine(a.Command)
	}
	if a.Detail != "" {
		s += ": " + a.Detail
	}
	return s + " (" + string(a.Status) + ")"
}

// incidentFacts are the ticket's rows: label and value.
func incidentFacts(inc *Incident, m messages) [][2]string {
	author := inc.Author
	if author == "" {
		author = m.T("meta.no_author")
	}
	return [][2]string{
		{m.T("incident.number"), inc.ID},
		{m.T("incident.reported"), m.date(inc.ReportedAt)},
		{m.T("incident.priority"), m.T("incident.priority." + inc.Priority)},
		{m.T("incident.category"), m.T("incident.category." + inc.Category)},
		{m.T("incident.state"), m.incidentStatus(inc.Status)},
		{m.T("meta.environment"), orDash(inc.Environment)},
		{m.T("meta.instance"), orDash(inc.Instance)},
		{m.T("incident.ttr"), m.duration(inc.TimeToRepairS * 1000)},
		{m.T("incident.hints"), fmt.Sprintf("%d / %d", inc.HintsUsed, inc.HintsTotal)},
		{m.T("meta.author"), author},
	}
}

type incidentView struct {
	*Incident
	Lang        string
	M           func(string) string
	Facts       [][2]string
	Reflections []reflection
	OtherNotes  string
	NoNotes     bool
	CSS         template.CSS
}

// incidentTemplate is parsed on first use, not at the start of every
// command.
var incidentTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("incident").Funcs(template.FuncMap{
		"words": htmlwrap.Words, "clock": func(t time.Time) string { return t.UTC().Format("15:04:05") },
		"label": checkLabel, "action": incidentAction,
		"status": func(Status) string { return "" }, "kind": func(string) string { return "" }, "text": func(IncidentEvent) string { return "" },
	}).Parse(incidentHTMLSource))
})

func incidentHTML(w io.Writer, inc *Incident, m messages) error {
	v := incidentView{Incident: inc, Lang: m.lang, M: func(k string) string { return m.T(k) }, Facts: incidentFacts(inc, m),
		CSS: template.CSS(htmlwrap.CSS)}
	notes := strings.ToValidUTF8(inc.Notes, "\uFFFD")
	v.NoNotes = strings.TrimSpace(notes) == ""
	v.Reflections, v.OtherNotes = reflections(notes, m)
	t, err := incidentTemplate().Clone()
	if err != nil {
		return err
	}
	t.Funcs(template.FuncMap{"status": func(s Status) string { return symbol(s) + " " + m.status(s) },
		"kind": m.eventKind, "text": m.eventText})
	return t.Execute(w, v)
}

const incidentHTMLSource = `<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<title>{{call .M "incident.title"}} {{.ID}}</title>
<style>
body { font-family: sans-serif; max-width: 60em; margin: 2em auto; color: #111; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
td, th { border: 1px solid #999; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
blockquote { border-left: 4px solid #999; margin: 0.5em 0; padding-left: 1em; }
@page { size: A4; margin: 15mm; }
section, tr { break-inside: avoid; }
thead { display: table-header-group; }
{{.CSS}}
</style>
</head>
<body>
<h1 id="title">{{call .M "incident.title"}} {{.ID}}</h1>
<section id="ticket">
<h2>{{call .M "incident.ticket"}}</h2>
<table id="facts"><tbody>
{{range .Facts}}<tr><th>{{words (index . 0)}}</th><td>{{words (index . 1)}}</td></tr>
{{end}}</tbody></table>
<blockquote id="ticket-text">{{words .Ticket}}</blockquote>
</section>
<section>
<h2>{{call .M "incident.timeline"}}</h2>
<table id="timeline"><tbody>
{{range .Timeline}}<tr data-kind="{{.Kind}}"><td class="num">{{clock .Time}}</td><td>{{words (kind .Kind)}}</td><td>{{if or (eq .Kind "exec") (eq .Kind "logs")}}<code>{{words .Text}}</code>{{else}}{{words (text .)}}{{end}}</td></tr>
{{end}}</tbody></table>
</section>
<section>
<h2>{{call .M "incident.before"}}</h2>
{{if .Before}}<table id="before"><thead><tr><th>{{call .M "check"}}</th><th>{{call .M "col.status"}}</th></tr></thead><tbody>
{{range .Before}}<tr data-check="{{.Name}}" data-status="{{.Status}}"><td>{{words (label .)}}</td><td class="status">{{status .Status}}</td></tr>
{{end}}</tbody></table>{{else}}<p>{{call .M "none"}}</p>{{end}}
<h2>{{call .M "incident.after"}}</h2>
{{if .After}}<table id="after"><thead><tr><th>{{call .M "check"}}</th><th>{{call .M "col.status"}}</th></tr></thead><tbody>
{{range .After}}<tr data-check="{{.Name}}" data-status="{{.Status}}"><td>{{words (label .)}}</td><td class="status">{{status .Status}}</td></tr>
{{end}}</tbody></table>{{else}}<p>{{call .M "none"}}</p>{{end}}
</section>
<section id="reflection">
<h2>{{call .M "eval"}}</h2>
<h3>{{call .M "notes"}}</h3>
{{if .NoNotes}}<p>{{call .M "incident.reflect.intro"}}</p>{{end}}
{{range .Reflections}}<h4>{{.Question}}</h4>
{{if .Text}}<pre>{{.Text}}</pre>{{else}}<p><em>{{call $.M "reflect.empty"}}</em></p>{{end}}
{{end}}{{if .OtherNotes}}<h4>{{call .M "reflect.other"}}</h4>
<pre>{{.OtherNotes}}</pre>
{{end}}</section>
{{with .Cause}}<section id="cause">
<h2>{{call $.M "incident.cause"}}</h2>
<p>{{.Title}}</p>
<ul>{{range .Inject}}<li>{{action .}}</li>{{end}}</ul>
<h2>{{call $.M "incident.solution"}}</h2>
<ul>{{range .Solution}}<li>{{.}}</li>{{end}}</ul>
</section>
{{end}}</body>
</html>
`

// incidentJUnit is one suite, the incident, with a case per recovered
// check after the repair; an open incident's failing checks fail.
func incidentJUnit(w io.Writer, inc *Incident, m messages) error {
	s := junitSuite{Name: xmlText(inc.ID), Package: xmlText(inc.Environment), Timestamp: inc.ReportedAt.UTC().Format("2006-01-02T15:04:05"),
		Time: seconds(inc.TimeToRepairS * 1000)}
	s.Properties = []junitProperty{{"fault", xmlText(inc.Fault)}, {"status", xmlText(inc.Status)},
		{"priority", xmlText(inc.Priority)}, {"category", xmlText(inc.Category)},
		{"hints_used", fmt.Sprintf("%d/%d", inc.HintsUsed, inc.HintsTotal)}, {"time_to_repair_s", fmt.Sprint(inc.TimeToRepairS)}}
	for _, c := range inc.After {
		s.Cases = append(s.Cases, checkCase(m, xmlText("incident."+inc.Fault), "check: "+xmlText(c.Name), c))
	}
	s.count()
	out := junitSuites{Name: "proeftuin: " + xmlText(inc.ID), Suites: []junitSuite{s}}
	out.Tests, out.Failures, out.Errors, out.Time = s.Tests, s.Failures, s.Errors, s.Time
	return writeXML(w, out)
}
