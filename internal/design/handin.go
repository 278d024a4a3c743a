package design

import (
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/glossary"
	"github.com/proeftuin/proeftuin/internal/graph"
)

// The parts that make the design a document to hand in: the cover, the
// introduction, requirements by MoSCoW, the IP plan, a page per service
// and the acceptance test plan with every expectation in words.

// CoverLine is one line of the cover: a label and its value.
type CoverLine struct {
	Label string
	Value string
	Code  bool
}

func (b builder) cover(d *Document, opts Options) []CoverLine {
	orOpen := func(s string) string {
		if strings.TrimSpace(s) == "" {
			return b.t("val.open")
		}
		return s
	}
	lines := []CoverLine{
		{Label: b.t("cover.case"), Value: orOpen(firstLine(d.Description))},
		{Label: glossary.T(b.lang, "author"), Value: orOpen(opts.Author)},
		{Label: glossary.T(b.lang, "student_id"), Value: orOpen(opts.StudentID)},
		{Label: glossary.T(b.lang, "class"), Value: orOpen(opts.Class)},
		{Label: b.t("cover.date"), Value: orOpen(opts.Date)},
		{Label: b.t("doc.version"), Value: orOpen(d.Version)},
		{Label: b.t("doc.environment"), Value: d.Name, Code: true},
	}
	if d.Hash != "" {
		lines = append(lines, CoverLine{Label: b.t("doc.hash"), Value: d.Hash, Code: true})
	}
	for i := range lines {
		lines[i].Label = capitalize(lines[i].Label)
	}
	return lines
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (b builder) introduction(d *Document) *Section {
	s := &Section{ID: "introduction", Level: 2, Title: capitalize(glossary.T(b.lang, "introduction"))}
	s.Intro = b.t("intro.doc", d.Title)
	if d.Description != "" {
		s.Paragraphs = []string{b.t("intro.case"), d.Description}
	}
	s.Note = b.t("intro.reading")
	return s
}

// requirementsByPriority groups the requirements by MoSCoW, in that
// order; requirements without a priority come last.
func (b builder) requirementsByPriority() []*Section {
	order := []config.Priority{config.Must, config.Should, config.Could, config.Wont, ""}
	var out []*Section
	if len(b.env.Requirements) == 0 {
		return []*Section{{ID: "requirements", Level: 3, Title: b.t("sec.requirements"), Empty: b.t("empty.requirements")}}
	}
	for _, p := range order {
		var rows [][]Cell
		for _, r := range b.env.Requirements {
			if r.Priority != p {
				continue
			}
			title := []string{r.Title}
			if r.Description != "" {
				title = append(title, r.Description)
			}
			rows = append(rows, []Cell{code(r.ID), plain(title...), plain(glossary.Kind(b.lang, r.Kind)), plain(r.Source)})
		}
		if len(rows) == 0 {
			continue
		}
		id, title := "requirements-"+string(p), priority(p)+" — "+b.t("moscow."+string(p))
		if p == "" {
			id, title = "requirements-other", b.t("moscow.")
		}
		out = append(out, &Section{ID: id, Level: 3, Title: title,
			Table: &Table{Head: []string{b.t("col.id"), b.t("col.title"), b.t("col.kind"), b.t("col.source")}, Rows: rows}})
	}
	return out
}

// ipPlan lists every network with its subnet, gateway and whether it is
// internal, and every service's address on it; "automatisch" where the
// engine chooses.
func (b builder) ipPlan() *Section {
	s := &Section{ID: "ip-plan", Level: 3, Title: glossary.T(b.lang, "ip_plan"), Empty: b.t("empty.networks")}
	if len(b.env.Networks) == 0 {
		return s
	}
	auto := glossary.T(b.lang, "automatic")
	s.Table = &Table{Head: []string{b.t("col.network"), b.t("col.subnet"), b.t("col.gateway"), b.t("col.internal"), b.t("col.addresses")}}
	for _, n := range b.env.Networks {
		subnet := code(n.Subnet)
		switch {
		case n.AutoSubnet && n.Subnet == "":
			subnet = plain(b.t("val.auto"))
		case n.Subnet == "":
			subnet = plain(b.t("val.engine"))
		}
		gateway := code(n.Gateway)
		if n.PointToPoint {
			gateway = plain(b.t("val.p2p"))
		} else if n.Gateway == "" {
			gateway = plain(auto)
			if p, err := netip.ParsePrefix(n.Subnet); err == nil && p.Addr().Is4() && p.Bits() < 31 {
				gateway = plain(auto + " (" + p.Addr().Next().String() + ")")
			}
		}
		internal := b.t("val.no")
		if n.Internal {
			internal = b.t("val.yes")
		}
		var addrs []string
		for _, svc := range b.env.Services {
			for _, sn := range svc.Networks {
				if sn.Network != n.Name {
					continue
				}
				addr := sn.IPv4Address
				switch {
				case sn.IPv4Unknown:
					addr = glossary.T(b.lang, "known_after_up")
				case addr == "":
					addr = auto
				}
				addrs = append(addrs, svc.Name+": "+addr)
			}
		}
		s.Table.Rows = append(s.Table.Rows, []Cell{code(n.Name), subnet, gateway, plain(internal), plain(addrs...)})
	}
	return s
}

// servicePages is one subsection per service: everything that shapes its
// container, one property a row.
func (b builder) servicePages() []*Section {
	var out []*Section
	for _, svc := range b.env.Services {
		s := &Section{ID: "service-" + svc.Name, Level: 3, Title: capitalize(glossary.T(b.lang, "service")) + " " + svc.Name}
		s.Table = &Table{Head: []string{b.t("col.property"), b.t("col.value")}}
		add := func(label string, c Cell) {
			if len(c.Items) == 0 {
				c = plain(b.t("val.none"))
			}
			s.Table.Rows = append(s.Table.Rows, []Cell{plain(label), c})
		}
		if svc.Build != nil {
			items := []string{"build: " + graph.RelPath(b.env.Dir, svc.Build.Context)}
			if svc.Build.Dockerfile != "" && svc.Build.Dockerfile != "Dockerfile" {
				items = append(items, "dockerfile: "+svc.Build.Dockerfile)
			}
			add(b.t("col.image"), code(items...))
		} else {
			add(b.t("col.image"), code(svc.Image))
		}
		if len(svc.Command) > 0 {
			add(b.t("prop.command"), code(shellJoin(svc.Command)))
		}
		var ports []string
		for _, p := range svc.Ports {
			ports = append(ports, graph.PortString(p))
		}
		for _, e := range svc.Expose {
			ports = append(ports, "expose "+e)
		}
		add(b.t("col.ports"), code(ports...))
		var files []string
		for _, f := range svc.Files {
			files = append(files, fmt.Sprintf("%s (%s %04o)", f.Path, b.t("prop.mode"), f.Mode))
		}
		add(b.t("prop.files"), code(files...))
		var env []string
		keys := make([]string, 0, len(svc.Env))
		for k := range svc.Env {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := svc.Env[k]
			if slices.Contains(svc.SensitiveEnv, k) {
				v = "(" + glossary.T(b.lang, "sensitive") + ")"
			} else if v == config.KnownAfterUp {
				v = "(" + glossary.T(b.lang, "known_after_up") + ")"
			}
			env = append(env, k+"="+v)
		}
		add(b.t("prop.env"), code(env...))
		add(b.t("col.mounts"), code(b.mounts(svc)...))
		add(b.t("prop.ready"), plain(b.readiness(svc)))
		add(capitalize(glossary.T(b.lang, "depends_on")), code(svc.DependsOn...))
		add(b.t("prop.resources"), plain(b.resources(svc)...))
		out = append(out, s)
	}
	return out
}

func (b builder) mounts(svc *config.Service) []string {
	var out []string
	for _, m := range svc.Mounts {
		var src string
		switch {
		case m.Volume != "":
			src = glossary.T(b.lang, "volume") + " " + m.Volume
		case m.Bind != "":
			src = graph.RelPath(b.env.Dir, m.Bind)
		case m.Tmpfs:
			src = b.t("val.tmpfs")
		}
		line := src + " → " + m.Target
		if m.ReadOnly {
			line += " (" + b.t("val.readonly") + ")"
		}
		out = append(out, line)
	}
	return out
}

func (b builder) readiness(svc *config.Service) string {
	r := svc.Ready
	if r == nil {
		return b.t("ready.running")
	}
	var what string
	switch {
	case r.Port != nil:
		proto := r.Port.Protocol
		if proto == "" {
			proto = "tcp"
		}
		what = b.t("ready.port", r.Port.Port, proto)
	case r.HTTP != nil:
		path, status := r.HTTP.Path, r.HTTP.Status
		if path == "" {
			path = "/"
		}
		if status == 0 {
			status = 200
		}
		what = b.t("ready.http", r.HTTP.Port, path, status)
	case r.Exec != nil:
		what = b.t("ready.exec", shellJoin(r.Exec.Command), r.Exec.ExitCode)
	case r.Log != nil:
		what = b.t("ready.log", r.Log.Pattern)
	case r.Healthcheck:
		what = b.t("ready.healthy")
	default:
		return b.t("ready.running")
	}
	if r.Timeout > 0 {
		what += " " + b.t("ready.within", r.Timeout.String())
	}
	return what
}

func (b builder) resources(svc *config.Service) []string {
	r := svc.Resources
	if r == nil {
		return []string{b.t("res.none")}
	}
	var out []string
	if r.MemoryBytes > 0 {
		out = append(out, b.t("res.memory", r.MemoryBytes/(1<<20)))
	}
	if r.CPUs > 0 {
		out = append(out, b.t("res.cpus", strconv.FormatFloat(r.CPUs, 'f', -1, 64)))
	}
	return out
}

// expectations says in words everything a check expects, one line each.
func (b builder) expectations(p config.Probe) []string {
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
	var out []string
	switch {
	case p.HTTP != nil:
		h := p.HTTP
		method, status := h.Method, h.Status
		if method == "" {
			method = "GET"
		}
		if status == 0 {
			status = 200
		}
		out = append(out, fmt.Sprintf("%s %s, %s", method, h.URL, from(h.From)), b.t("exp.status", status))
		if h.BodyContains != "" {
			out = append(out, b.t("exp.body_contains", strconv.Quote(h.BodyContains)))
		}
		if h.BodyMatches != "" {
			out = append(out, b.t("exp.body_matches", h.BodyMatches))
		}
		for _, k := range slices.Sorted(maps.Keys(h.Header)) {
			out = append(out, b.t("exp.header", k, strconv.Quote(h.Header[k])))
		}
		if h.JSONPath != "" {
			out = append(out, b.t("exp.json", h.JSONPath, strconv.Quote(h.JSONEquals)))
		}
	case p.TCP != nil:
		out = append(out, p.TCP.Address+" "+yes(p.TCP.Reachable, "val.reachable", "val.unreachable")+", "+from(p.TCP.From))
	case p.DNS != nil:
		s := p.DNS.Name + " " + yes(p.DNS.Resolves, "val.resolves", "val.notresolves")
		if p.DNS.Address != "" {
			s += " " + b.t("exp.to", p.DNS.Address)
		}
		out = append(out, s+", "+from(p.DNS.From))
	case p.Exec != nil:
		e := p.Exec
		code := 0
		if e.ExitCode != nil {
			code = *e.ExitCode
		}
		out = append(out, e.Service+": "+shellJoin(e.Command), b.t("exp.exit", code))
		out = append(out, b.outputs(e.Expect)...)
	case p.File != nil:
		f := p.File
		out = append(out, f.Service+": "+f.Path+" "+yes(f.Exists, "val.exists", "val.notexists"))
		if f.Contains != "" {
			out = append(out, b.t("exp.file_contains", strconv.Quote(f.Contains)))
		}
		if f.Mode != "" {
			out = append(out, b.t("exp.mode", f.Mode))
		}
	case p.Process != nil:
		out = append(out, p.Process.Service+": "+p.Process.Name+" "+yes(p.Process.Running, "val.running", "val.notrunning"))
	case p.Service != nil:
		state := p.Service.State
		if state == "" {
			state = "running"
		}
		out = append(out, p.Service.Service+": "+b.t("state."+state))
	}
	return out
}

func (b builder) outputs(e config.Expect) []string {
	var out []string
	if e.StdoutContains != "" {
		out = append(out, b.t("exp.stdout_contains", strconv.Quote(e.StdoutContains)))
	}
	if e.StdoutMatches != "" {
		out = append(out, b.t("exp.stdout_matches", e.StdoutMatches))
	}
	if e.StderrContains != "" {
		out = append(out, b.t("exp.stderr_contains", strconv.Quote(e.StderrContains)))
	}
	if e.StderrMatches != "" {
		out = append(out, b.t("exp.stderr_matches", e.StderrMatches))
	}
	return out
}

// variableValue is a variable's value for the document: sensitive ones
// masked, in the document's language.
func (b builder) variableValue(v *config.Variable) Cell {
	if v.Sensitive {
		return plain("(" + glossary.T(b.lang, "sensitive") + ")")
	}
	return code(v.Value)
}

// variableSource says where a variable's value came from, in words.
func (b builder) variableSource(src string) string {
	switch {
	case src == "default":
		return glossary.T(b.lang, "default")
	case src == "--var":
		return "--var"
	case strings.HasPrefix(src, "environment "):
		return b.t("src.environment", strings.TrimPrefix(src, "environment "))
	case strings.HasPrefix(src, "file "):
		return b.t("src.file", strings.TrimPrefix(src, "file "))
	}
	return src
}
