// Package design writes the design document a student hands in: the
// functional design (requirements), the technical design (services,
// networks, volumes, a topology diagram), the acceptance tests, the
// implementation plan and a traceability matrix tying them together, as
// Markdown or as one self-contained HTML file, in Dutch or English.
package design

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/graph"
	"github.com/proeftuin/proeftuin/internal/redact"
)

// Options choose the language and what the footer says.
type Options struct {
	Lang    string // "nl" (default) or "en"
	Version string // the tool's version, shown in the footer; "" omits it
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
	Sections    []*Section
}

// Section is one heading with an optional intro, table, diagram or note
// for an empty table. Level 2 sections may hold level 3 subsections.
type Section struct {
	ID      string
	Level   int
	Title   string
	Intro   string
	Table   *Table
	Empty   string // shown instead of an empty table
	Mermaid string // diagram source
	SVG     string // diagram, already escaped SVG markup
	Details string // summary line for the Mermaid source (HTML)
	SVGNote string // how to read the SVG diagram (HTML)
	Note    string // a closing remark
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
		},
	}
	if d.Title == "" {
		d.Title = env.Name
	}
	if opts.Version != "" {
		d.Footer = t("doc.generated", opts.Version)
	}
	b := builder{env: env, lang: lang, t: t}
	d.Sections = []*Section{
		b.variables(),
		{ID: "functional", Level: 2, Title: t("sec.functional")},
		b.requirements(),
		{ID: "technical", Level: 2, Title: t("sec.technical")},
		b.services(),
		b.networks(),
		b.volumes(),
		b.diagram(),
		b.checks(),
		b.plan(),
		b.trace(),
	}
	redactDocument(d, env.Secrets)
	return d
}

type builder struct {
	env  *config.Environment
	lang string
	t    func(string, ...any) string
}

func (b builder) variables() *Section {
	s := &Section{ID: "variables", Level: 2, Title: b.t("sec.variables"), Empty: b.t("empty.variables")}
	if len(b.env.Variables) == 0 {
		return s
	}
	s.Table = &Table{Head: []string{b.t("col.name"), b.t("col.type"), b.t("col.value"), b.t("col.source"), b.t("col.description")}}
	for _, v := range b.env.Variables {
		value := code(v.Value)
		if v.Sensitive {
			value = plain(redact.Placeholder)
		}
		s.Table.Rows = append(s.Table.Rows, []Cell{code(v.Name), code(v.Type), value, plain(v.Source), plain(v.Description)})
	}
	return s
}

func (b builder) requirements() *Section {
	s := &Section{ID: "requirements", Level: 3, Title: b.t("sec.requirements"), Empty: b.t("empty.requirements")}
	if len(b.env.Requirements) == 0 {
		return s
	}
	s.Table = &Table{Head: []string{b.t("col.id"), b.t("col.title"), b.t("col.kind"), b.t("col.priority"), b.t("col.source")}}
	for _, r := range b.env.Requirements {
		title := []string{r.Title}
		if r.Description != "" {
			title = append(title, r.Description)
		}
		s.Table.Rows = append(s.Table.Rows, []Cell{
			code(r.ID), plain(title...), plain(b.kind(r.Kind)), plain(priority(r.Priority)), plain(r.Source),
		})
	}
	return s
}

func (b builder) kind(k string) string {
	if k == "" {
		return ""
	}
	if s, ok := catalog[b.lang]["kind."+k]; ok {
		return s
	}
	return k
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
		var mounts []string
		for _, m := range svc.Mounts {
			var src string
			switch {
			case m.Volume != "":
				src = m.Volume
			case m.Bind != "":
				src = graph.RelPath(b.env.Dir, m.Bind)
			case m.Tmpfs:
				src = b.t("val.tmpfs")
			}
			line := src + " -> " + m.Target
			if m.ReadOnly {
				line += " (" + b.t("val.readonly") + ")"
			}
			mounts = append(mounts, line)
		}
		s.Table.Rows = append(s.Table.Rows, []Cell{
			code(svc.Name), code(image), code(ports...), code(nets...), code(mounts...), code(svc.DependsOn...),
		})
	}
	return s
}

func (b builder) networks() *Section {
	s := &Section{ID: "networks", Level: 3, Title: b.t("sec.networks"), Empty: b.t("empty.networks")}
	if len(b.env.Networks) == 0 {
		return s
	}
	s.Table = &Table{Head: []string{b.t("col.network"), b.t("col.subnet"), b.t("col.internal")}}
	for _, n := range b.env.Networks {
		subnet := code(n.Subnet)
		switch {
		case n.AutoSubnet && n.Subnet == "":
			subnet = plain(b.t("val.auto"))
		case n.Subnet == "":
			subnet = plain(b.t("val.engine"))
		}
		if n.Gateway != "" {
			subnet.Items = append(subnet.Items, "gateway "+n.Gateway)
		}
		internal := b.t("val.no")
		if n.Internal {
			internal = b.t("val.yes")
		}
		s.Table.Rows = append(s.Table.Rows, []Cell{code(n.Name), subnet, plain(internal)})
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
	g := graph.Build(b.env)
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
	s.Table = &Table{Head: []string{b.t("col.check"), b.t("col.description"), b.t("col.kind"), b.t("col.what"), b.t("col.verifies")}}
	for _, c := range b.env.Checks {
		s.Table.Rows = append(s.Table.Rows, []Cell{
			code(c.Name), plain(c.Title), code(c.Probe.Kind), code(b.probe(c.Probe)), b.refs(c.Verifies),
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

// probe says in one line what a check looks at.
func (b builder) probe(p config.Probe) string {
	from := func(svc string) string {
		if svc == "" {
			return b.t("val.from") + " " + b.t("val.host")
		}
		return b.t("val.from") + " " + svc
	}
	yes := func(ok bool, y, n string) string {
		if ok {
			return b.t(y)
		}
		return b.t(n)
	}
	switch {
	case p.HTTP != nil:
		return b.httpLine(p.HTTP) + ", " + from(p.HTTP.From)
	case p.TCP != nil:
		return p.TCP.Address + " " + yes(p.TCP.Reachable, "val.reachable", "val.unreachable") + ", " + from(p.TCP.From)
	case p.DNS != nil:
		s := p.DNS.Name + " " + yes(p.DNS.Resolves, "val.resolves", "val.notresolves")
		if p.DNS.Address != "" {
			s += " -> " + p.DNS.Address
		}
		return s + ", " + from(p.DNS.From)
	case p.Exec != nil:
		s := p.Exec.Service + ": " + shellJoin(p.Exec.Command)
		if p.Exec.ExitCode != nil && *p.Exec.ExitCode != 0 {
			s += fmt.Sprintf(" (exit %d)", *p.Exec.ExitCode)
		}
		if p.Exec.StdoutContains != "" {
			s += " ~ " + strconv.Quote(p.Exec.StdoutContains)
		}
		if p.Exec.StdoutMatches != "" {
			s += " ~ /" + p.Exec.StdoutMatches + "/"
		}
		return s
	case p.File != nil:
		s := p.File.Service + ":" + p.File.Path + " " + yes(p.File.Exists, "val.exists", "val.notexists")
		if p.File.Contains != "" {
			s += " ~ " + strconv.Quote(p.File.Contains)
		}
		if p.File.Mode != "" {
			s += " mode " + p.File.Mode
		}
		return s
	case p.Process != nil:
		return p.Process.Service + ": " + p.Process.Name + " " + yes(p.Process.Running, "val.running", "val.notrunning")
	case p.Service != nil:
		state := p.Service.State
		if state == "" {
			state = "running"
		}
		return p.Service.Service + " " + state
	}
	return ""
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
	s.Table = &Table{Head: []string{b.t("col.step"), b.t("col.title"), b.t("col.implements"), b.t("col.actions"), b.t("col.stepchecks"), b.t("col.onfailure")}}
	for _, st := range b.env.Steps {
		var actions []string
		for _, a := range st.Actions {
			actions = append(actions, b.action(a))
		}
		var checks []string
		for _, c := range st.Checks {
			checks = append(checks, c.Name+": "+b.probe(c.Probe))
		}
		onFailure := st.OnFailure
		if onFailure == "" {
			onFailure = "stop"
		}
		failure := []string{text(b.lang, "onfailure."+onFailure)}
		if st.Retry.Attempts > 1 {
			failure = append(failure, b.t("val.attempts", st.Retry.Attempts))
		}
		s.Table.Rows = append(s.Table.Rows, []Cell{
			code(st.ID), plain(st.Title), b.refs(st.Implements), code(actions...), code(checks...), plain(failure...),
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
		s.Table.Rows = append(s.Table.Rows, []Cell{
			code(r.ID), plain(priority(r.Priority)), b.covered(svcs), b.covered(checks), b.covered(steps),
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
func shellJoin(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n'\"\\$`|&;<>()*?[]#~") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
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
	r := func(s *string) { *s = redact.String(*s, secrets) }
	r(&d.Title)
	r(&d.Name)
	r(&d.Version)
	r(&d.Description)
	for _, s := range d.Sections {
		r(&s.Title)
		r(&s.Intro)
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
