package report

import (
	_ "embed"
	"html/template"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/proeftuin/proeftuin/internal/glossary"
	"github.com/proeftuin/proeftuin/internal/htmlwrap"
)

//go:embed report.html.tmpl
var htmlSource string

// htmlTemplate is parsed once; funcs that need the language are rebound
// per call through Clone.
// It is parsed on first use, not at the start of every command.
var htmlTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Funcs(htmlFuncs(messages{})).Parse(htmlSource))
})

// RenderHTML writes report.html: one self-contained page (inline CSS, no
// scripts, no external assets) that prints cleanly on A4. Everything from
// the document is escaped by html/template.
func RenderHTML(w io.Writer, r *Result, lang string) error {
	m, err := catalogueFor(r, lang)
	if err != nil {
		return err
	}
	t, err := htmlTemplate().Clone()
	if err != nil {
		return err
	}
	t.Funcs(htmlFuncs(m))
	return t.Execute(w, newHTMLView(r, m))
}

type htmlView struct {
	*Result
	Lang       string
	Title      string
	Env        string
	PlanLine   string
	AuthorText string
	EngineText string
	ToolText   string
	Unverified []MatrixRow
	StepsMS    int64
	// PlannedMS is the total of the steps' estimates; WithPlan is true
	// when any step has one.
	PlannedMS   int64
	WithPlan    bool
	Overran     string
	Amended     string
	Reflections []reflection
	OtherNotes  string
	NoNotes     bool
	// FB is the grade's feedback section (proeftuin grade); nil otherwise.
	FB *fbView
}

func newHTMLView(r *Result, m messages) htmlView {
	v := htmlView{Result: r, Lang: m.lang}
	v.Title = m.T(titleKey(r))
	if t := envTitle(r); t != "" {
		v.Title += ": " + t
	}
	v.Env = r.Environment.Name
	if r.Environment.Version != "" {
		v.Env += " (" + m.T("meta.version", r.Environment.Version) + ")"
	}
	v.Env = orDash(v.Env)
	if r.Plan != nil {
		v.PlanLine = r.Plan.Name
		if r.Plan.Title != "" {
			v.PlanLine += " — " + r.Plan.Title
		}
		v.PlanLine = orDash(v.PlanLine)
	}
	v.AuthorText = r.Author
	if v.AuthorText == "" {
		v.AuthorText = m.T("meta.no_author")
	}
	v.EngineText = orDash(engineLine(r.Engine))
	v.ToolText = orDash(strings.TrimSpace(r.Tool.Name + " " + r.Tool.Version))
	v.Unverified = unverified(r)
	v.StepsMS = stepsTotalMS(r.Steps)
	v.PlannedMS, v.WithPlan = plannedMS(r.Steps)
	v.Overran = m.overranText(r.Steps)
	v.Amended = m.amendedText(r)
	notes := clean(r.Notes)
	v.NoNotes = strings.TrimSpace(notes) == ""
	v.Reflections, v.OtherNotes = reflections(notes, m)
	v.FB = m.feedbackView(r.Feedback)
	return v
}

func nonEmpty(s ...string) []string {
	var out []string
	for _, v := range s {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

type htmlAction struct {
	Title string
	A     Action
}

type htmlChecks struct {
	Checks     []Check
	Acceptance bool
}

type htmlTail struct {
	Text  string
	Label string
}

func htmlFuncs(m messages) template.FuncMap {
	return template.FuncMap{
		"T":       m.T,
		"status":  m.status,
		"verdict": m.verdict,
		"sym":     symbol,
		"vsym":    verdictSymbol,
		"cls": func(s Status) string {
			switch s {
			case Passed, Failed, Skipped, RolledBack, Interrupted, Error:
				return string(s)
			}
			return "unknown"
		},
		"vcls": func(v string) string {
			switch v {
			case Verified, VerdictFailed, NotVerified:
				return v
			}
			return NotVerified
		},
		"dur":        m.duration,
		"diff":       m.diff,
		"date":       m.date,
		"deviation":  m.deviation,
		"reason":     m.unverifiedReason,
		"why":        m.why,
		"actionwhy":  m.actionWhy,
		"actual":     m.checkActual,
		"expected":   m.checkExpected,
		"steplabel":  stepLabel,
		"checklabel": checkLabel,
		"cmd":        func(a []string) string { return clean(commandLine(a)) },
		"clean":      clean,
		"oneline":    oneLine,
		"join":       func(l []string) string { return orDash(strings.Join(l, ", ")) },
		"dash":       orDash,
		"exit":       exitCode,
		"percent":    percent,
		"inc":        func(i int) int { return i + 1 },
		"from": func(s string) string {
			if s == "" {
				return m.T("check.host")
			}
			return s
		},
		"tail": func(label, s string, truncated bool) *htmlTail {
			t, cut := tail(s, tailLines)
			if t == "" {
				return nil
			}
			return &htmlTail{Text: t, Label: m.outputLabel(label, t, cut, truncated)}
		},
		"blank": func(s string) bool { return strings.TrimSpace(s) == "" },
		"words": htmlwrap.Words,
		"kindprio": func(kind, prio string) string {
			return orDash(strings.Join(nonEmpty(glossary.Kind(m.lang, kind), glossary.Priority(prio)), ", "))
		},
		// checkrefs writes "step/check" as "check (step)", so a narrow
		// column can break between the two.
		"checkrefs": func(refs []string) string {
			out := make([]string, len(refs))
			for i, r := range refs {
				if step, check, ok := strings.Cut(r, "/"); ok {
					r = check + " (" + step + ")"
				}
				out[i] = r
			}
			return orDash(strings.Join(out, ", "))
		},
		"checkwhere": func(kind, from string, attempts int) string {
			return strings.Join(nonEmpty(kind, m.T("check.from")+": "+from, m.T("check.attempts")+": "+strconv.Itoa(attempts)), " · ")
		},
		"notes": func(s string) string { return strings.TrimRight(clean(s), "\n") },
		"args":  func(title string, a Action) htmlAction { return htmlAction{Title: title, A: a} },
		"checkargs": func(c []Check, acceptance bool) htmlChecks {
			return htmlChecks{Checks: c, Acceptance: acceptance}
		},
	}
}
