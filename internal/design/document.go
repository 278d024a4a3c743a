// Package design writes the design document a student hands in: the
// functional design (requirements), the technical design (services,
// networks, volumes, a topology diagram), the acceptance tests, the
// implementation plan and a traceability matrix tying them together, as
// Markdown or as one self-contained HTML file, in Dutch or English.
package design

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/glossary"
	"github.com/proeftuin/proeftuin/internal/graph"
	"github.com/proeftuin/proeftuin/internal/redact"
)

// Options choose the language, what the cover says and what the footer
// says.
type Options struct {
	Lang    string // "nl" (default) or "en"
	Version string // the tool's version, shown in the footer; "" omits it
	// The student's details on the cover; empty ones show as "to be
	// filled in".
	Author    string
	StudentID string
	Class     string
	Date      string // as it should read on the cover ("12-03-2026")
}

// Document is the design in a form both renderers share: a header and a
// list of sections, each mostly one table.
type Document struct {
	Lang        string
	Title       string
	Name        string
	Version     string
	Description string
	Hash        string
	Footer      string
	Labels      map[string]string // header labels
	Cover       []CoverLine
	Sections    []*Section
}

// Section is one heading with an optional intro, table, diagram or note
// for an empty table. Level 2 sections may hold level 3 subsections.
type Section struct {
	ID    string
	Level int
	Title string
	Intro string
	// Paragraphs follow Intro, one paragraph each (the case as the
	// environment's description tells it).
	Paragraphs []string
	Table      *Table
	Empty      string // shown instead of an empty table
	Mermaid    string // diagram source
	SVG        string // diagram, already escaped SVG markup
	Details    string // summary line for the Mermaid source (HTML)
	SVGNote    string // how to read the SVG diagram (HTML)
	Note       string // a closing remark
}

// Table has a header and rows of cells.
type Table struct {
	Head []string
	Rows [][]Cell
}

// Cell is one table cell: a list of values (one line each in HTML,
// comma-separated in Markdown). Code marks identifiers and technical
// values; Warn marks a gap (e.g. "not covered").
type Cell struct {
	Items []string
	Code  bool
	Warn  bool
}

func plain(s ...string) Cell { return Cell{Items: nonEmpty(s)} }
func code(s ...string) Cell  { return Cell{Items: nonEmpty(s), Code: true} }

func nonEmpty(s []string) []string {
	var out []string
	for _, v := range s {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// Build makes the document of env. Every text passes through the
// redactor, so a secret that ended up in a command or URL still does not
// reach the page.
func Build(env *config.Environment, opts Options) *Document {
	lang := opts.Lang
	if !ValidLang(lang) {
		lang = "nl"
	}
	t := func(key string, args ...any) string { return text(lang, key, args...) }
	d := &Document{
		Lang:        lang,
		Title:       env.Title,
		Name:        env.Name,
		Version:     env.Version,
		Description: env.Description,
		Hash:        env.Hash,
		Labels: map[string]string{
			"design":      t("doc.title"),
			"environment": t("doc.environment"),
			"version":     t("doc.version"),
			"hash":        t("doc.hash"),
			"toc":         capitalize(glossary.T(lang, "table_of_contents")),
		},
	}
	if d.Title == "" {
		d.Title = env.Name
	}
	if opts.Version != "" {
		d.Footer = t("doc.generated", opts.Version)
	}
	b := builder{env: env, lang: lang, t: t}
	d.Cover = b.cover(d, opts)
	d.Sections = []*Section{
		b.introduction(d),
		{ID: "functional", Level: 2, Title: t("sec.functional"), Intro: t("intro.functional")},
	}
	d.Sections = append(d.Sections, b.requirementsByPriority()...)
	d.Sections = append(d.Sections,
		&Section{ID: "technical", Level: 2, Title: t("sec.technical"), Intro: t("intro.technical")},
		b.diagram(),
		b.ipPlan(),
		b.services(),
	)
	d.Sections = append(d.Sections, b.servicePages()...)
	d.Sections = append(d.Sections,
		b.volumes(),
		b.variables(),
		b.checks(),
		b.plan(),
		b.trace(),
	)
	redactDocument(d, env.Secrets)
	return d
}

type builder struct {
	env  *config.Environment
	lang string
	t    func(string, ...any) string
}

func (b builder) variables() *Section {
	s := &Section{ID: "variables", Level: 3, Title: b.t("sec.variables"), Empty: b.t("empty.variables")}
	if len(b.env.Variables) == 0 {
		return s
	}
	s.Table = &Table{Head: []string{b.t("col.name"), b.t("col.type"), b.t("col.value"), b.t("col.source"), b.t("col.description")}}
	for _, v := range b.env.Variables {
		s.Table.Rows = append(s.Table.Rows, []Cell{code(v.Name), code(v.Type), b.variableValue(v), plain(b.variableSource(v.Source)), plain(v.Description)})
	}
	return s
}

// priority writes MoSCoW the way it is taught: Must, Should, Could, Won't.
func priority(p config.Priority) string {
	switch p {
	case config.Must:
		return "Must"
	case config.Should:
		return "Should"
	case config.Could:
		return "Could"
	case config.Wont:
		return "Won't"
	}
	return string(p)
}

func (b builder) services() *Section {
	s := &Section{ID: "services", Level: 3, Title: b.t("sec.services"), Empty: b.t("empty.services")}
	if len(b.env.Services) == 0 {
		return s
	}
	s.Table = &Table{Head: []string{b.t("col.service"), b.t("col.image"), b.t("col.ports"), b.t("col.networks"), b.t("col.mounts"), b.t("col.depends")}}
	for _, svc := range b.env.Services {
		image := svc.Image
		if svc.Build != nil {
			image = "build: " + graph.RelPath(b.env.Dir, svc.Build.Context)
		}
		var ports []string
		for _, p := range svc.Ports {
			ports = append(ports, graph.PortString(p))
		}
		for _, e := range svc.Expose {
			ports = append(ports, "expose "+e)
		}
		var nets []string
		for _, n := range svc.Networks {
			if n.IPv4Address != "" {
				nets = append(nets, n.Network+" ("+n.IPv4Address+")")
			} else {
				nets = append(nets, n.Network)
			}
		}
		if svc.NetworkMode != "" {
			nets = append(nets, "network_mode: "+svc.NetworkMode)
		}
		mounts := b.mounts(svc)
		s.Table.Rows = append(s.Table.Rows, []Cell{
			code(svc.Name), code(image), code(ports...), code(nets...), code(mounts...), code(svc.DependsOn...),
		})
	}
	return s
}

func (b builder) volumes() *Section {
	s := &Section{ID: "volumes", Level: 3, Title: b.t("sec.volumes"), Empty: b.t("empty.volumes")}
	if len(b.env.Volumes) == 0 {
		return s
	}
	s.Table = &Table{Head: []string{b.t("col.volume"), b.t("col.usedby")}}
	for _, v := range b.env.Volumes {
		var users []string
		for _, svc := range b.env.Services {
			for _, m := range svc.Mounts {
				if m.Volume == v.Name {
					users = append(users, svc.Name+":"+m.Target)
				}
			}
		}
		s.Table.Rows = append(s.Table.Rows, []Cell{code(v.Name), code(users...)})
	}
	return s
}

func (b builder) diagram() *Section {
	g := graph.BuildIn(b.env, b.lang)
	return &Section{
		ID: "diagram", Level: 3, Title: b.t("sec.diagram"),
		SVGNote: b.t("intro.diagram"),
		Mermaid: g.Mermaid(),
		SVG:     graph.SVG(g),
		Details: b.t("intro.mermaid"),
	}
}

func (b builder) checks() *Section {
	s := &Section{ID: "checks", Level: 2, Title: b.t("sec.checks"), Empty: b.t("empty.checks")}
	if len(b.env.Checks) == 0 {
		return s
	}
	s.Intro = b.t("intro.checks")
	s.Table = &Table{Head: []string{b.t("col.check"), b.t("col.description"), b.t("col.what"), b.t("col.verifies")}}
	for _, c := range b.env.Checks {
		s.Table.Rows = append(s.Table.Rows, []Cell{
			code(c.Name), plain(c.Title), plain(b.expectations(c.Probe)...), b.refs(c.Verifies),
		})
	}
	return s
}

// refs is a list of requirement ids, or the "not covered" marker.
func (b builder) refs(ids []string) Cell {
	if len(ids) == 0 {
		return Cell{Items: []string{b.t("val.none")}}
	}
	return code(ids...)
}

func (b builder) httpLine(h *config.HTTPProbe) string {
	method := h.Method
	if method == "" {
		method = "GET"
	}
	status := h.Status
	if status == 0 {
		status = 200
	}
	return fmt.Sprintf("%s %s -> %d", method, h.URL, status)
}

func (b builder) plan() *Section {
	title := b.t("sec.plan")
	s := &Section{ID: "plan", Level: 2, Title: title, Empty: b.t("empty.plan")}
	if p := b.env.Plan; p != nil {
		if p.Title != "" {
			s.Title = title + ": " + p.Title
		}
		s.Intro = p.Description
	}
	if len(b.env.Steps) == 0 {
		return s
	}
	s.Table = &Table{Head: []string{b.t("col.step"), b.t("col.title"), b.t("col.actions"), b.t("col.stepchecks")}}
	for _, st := range b.env.Steps {
		var actions []string
		for _, a := range st.Actions {
			actions = append(actions, b.action(a))
		}
		var checks []string
		for _, c := range st.Checks {
			checks = append(checks, c.Name+": "+strings.Join(b.expectations(c.Probe), ", "))
		}
		onFailure := st.OnFailure
		if onFailure == "" {
			onFailure = "stop"
		}
		failure := []string{text(b.lang, "onfailure."+onFailure)}
		if st.Retry.Attempts > 1 {
			failure = append(failure, b.t("val.attempts", st.Retry.Attempts))
		}
		implements := b.t("val.none")
		if len(st.Implements) > 0 {
			implements = strings.Join(st.Implements, ", ")
		}
		about := []string{st.Title, b.t("col.implements") + ": " + implements, b.t("col.onfailure") + ": " + strings.Join(failure, ", ")}
		if st.Planned > 0 {
			about = append(about, capitalize(glossary.T(b.lang, "planned"))+": "+shortDuration(st.Planned))
		}
		s.Table.Rows = append(s.Table.Rows, []Cell{
			code(st.ID), plain(about...), code(actions...), code(checks...),
		})
	}
	return s
}

// action says in one line what a plan step does.
func (b builder) action(a *config.Action) string {
	switch {
	case a.Exec != nil:
		return "exec " + a.Exec.Service + ": " + shellJoin(a.Exec.Command)
	case a.Copy != nil:
		return "copy " + graph.RelPath(b.env.Dir, a.Copy.Source) + " -> " + a.Copy.Service + ":" + a.Copy.Target
	case a.Wait != nil:
		return "wait " + a.Wait.Service
	case a.HTTP != nil:
		return "http " + b.httpLine(a.HTTP)
	case a.Service != "":
		return a.Kind + " " + a.Service
	}
	return a.Kind
}

func (b builder) trace() *Section {
	s := &Section{ID: "trace", Level: 2, Title: b.t("sec.trace"), Intro: b.t("intro.trace"), Empty: b.t("empty.trace")}
	if len(b.env.Requirements) == 0 {
		return s
	}
	s.Table = &Table{Head: []string{b.t("col.requirement"), b.t("col.priority"), b.t("col.satisfiedby"), b.t("col.verifiedby"), b.t("col.implementedby")}}
	verified := 0
	for _, r := range b.env.Requirements {
		var svcs, checks, steps []string
		for _, svc := range b.env.Services {
			if slices.Contains(svc.Satisfies, r.ID) {
				svcs = append(svcs, svc.Name)
			}
		}
		for _, c := range b.env.Checks {
			if slices.Contains(c.Verifies, r.ID) {
				checks = append(checks, c.Name)
			}
		}
		for _, st := range b.env.Steps {
			if slices.Contains(st.Implements, r.ID) {
				steps = append(steps, st.ID)
			}
		}
		if len(checks) > 0 {
			verified++
		}
		// A requirement no step implements is met by the design itself
		// when services satisfy it or a check shows it: `lab verify`
		// then expects its checks to pass before the plan runs.
		implemented := b.covered(steps)
		if len(steps) == 0 && (len(svcs) > 0 || len(checks) > 0) {
			implemented = plain(glossary.T(b.lang, "met_by_design"))
		}
		satisfied := b.covered(svcs)
		switch {
		case len(svcs) > 0:
		case len(steps) > 0:
			satisfied = plain(b.t("val.none"))
		case len(checks) > 0:
			satisfied = plain(glossary.T(b.lang, "met_by_design"))
		}
		s.Table.Rows = append(s.Table.Rows, []Cell{
			code(r.ID), plain(priority(r.Priority)), satisfied, b.covered(checks), implemented,
		})
	}
	s.Note = b.t("trace.summary", verified, len(b.env.Requirements))
	return s
}

func (b builder) covered(names []string) Cell {
	if len(names) == 0 {
		return Cell{Items: []string{b.t("val.notcovered")}, Warn: true}
	}
	return code(names...)
}

// shellJoin writes a command the way one would type it, quoting words
// that hold spaces or shell characters.
//
// A word with a single quote is written in double quotes, so the reader
// sees echo "it's" and not the '\” that single quotes would need.
func shellJoin(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		switch {
		case a != "" && !strings.ContainsAny(a, " \t\n'\"\\$`|&;<>()*?[]#~"):
		case !strings.Contains(a, "'"):
			a = "'" + a + "'"
		default:
			a = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "`", "\\`").Replace(a) + `"`
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}

// redactDocument replaces secrets in every text of d, before any escaping
// can change how a secret is spelled.
func redactDocument(d *Document, secrets []string) {
	if len(secrets) == 0 {
		return
	}
	r := func(s *string) { *s = redactIn(d.Lang, *s, secrets) }
	r(&d.Title)
	r(&d.Name)
	r(&d.Version)
	r(&d.Description)
	for i := range d.Cover {
		r(&d.Cover[i].Value)
	}
	for _, s := range d.Sections {
		r(&s.Title)
		r(&s.Intro)
		for i := range s.Paragraphs {
			r(&s.Paragraphs[i])
		}
		r(&s.SVGNote)
		r(&s.Mermaid)
		r(&s.SVG)
		r(&s.Note)
		if s.Table == nil {
			continue
		}
		for _, row := range s.Table.Rows {
			for i := range row {
				for j := range row[i].Items {
					r(&row[i].Items[j])
				}
			}
		}
	}
}

// shortDuration is d as a plan writes it: "10m", "1h30m", "45s".
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// redactIn is redact.String with the placeholder in the document's
// language: "(gevoelig)" in Dutch.
func redactIn(lang, s string, secrets []string) string {
	s = redact.String(s, secrets)
	if lang != "en" {
		s = strings.ReplaceAll(s, redact.Placeholder, "("+glossary.T(lang, "sensitive")+")")
	}
	return s
}
