package config

import (
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Rubric is a teacher's grading file (grading.hcl): what an assignment
// fixed, the hidden checks run against every submission and the points
// each earns. It is written in the lab language; its checks decode as
// acceptance checks do.
type Rubric struct {
	Name  string
	Title string
	// Due is when hidden checks with visibility "after_due" show their
	// expected and actual values; zero when the rubric has no due date.
	Due time.Time
	// Services and Requirements are the names the assignment fixed.
	Services     []string
	Requirements []string
	// Points per requirement id, earned when the student's own plan and
	// checks verify it.
	Points map[string]int
	// Checks are the hidden checks, in source order.
	Checks []*RubricCheck
	Limits Limits

	File      *hcl.File
	DeclRange hcl.Range
}

// RubricCheck is a hidden check with its points and visibility.
type RubricCheck struct {
	*Check
	Points     int
	Visibility string // "hidden" | "name" | "after_due"
}

// Visibilities are the accepted values of a rubric check's visibility.
var Visibilities = []string{"hidden", "name", "after_due"}

// Limits cap every container of a graded submission; the smaller of the
// rubric's and the student's value wins. Zero fields set no cap.
type Limits struct {
	MemoryBytes int64
	CPUs        float64
	Pids        int64
	DiskBytes   int64
}

var rubricFileSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "rubric", LabelNames: []string{"name"}},
		{Type: "requires"},
		{Type: "check", LabelNames: []string{"name"}},
		{Type: "points"},
		{Type: "limits"},
	},
}

var rubricSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "title"}, {Name: "due"}}}

var requiresSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "services"}, {Name: "requirements"}}}

var limitsSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "memory"}, {Name: "cpus"}, {Name: "pids"}, {Name: "disk"}}}

var rubricCheckSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "points"}, {Name: "visibility"}}}

// LoadRubric reads and decodes a rubric file. Its checks may refer to
// the services and requirements the rubric's requires block names
// (service.web), and only to those. Every error points at file:line:col;
// the Rubric is never nil (File is set for rendering diagnostics).
func LoadRubric(path string) (*Rubric, hcl.Diagnostics) {
	l := newLoader(Options{Dir: filepath.Dir(path)})
	r := &Rubric{Points: map[string]int{}}
	src, err := os.ReadFile(path)
	if err != nil {
		return r, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read the rubric",
			Detail: err.Error() + "; give the path of the grading file with --rubric."}}
	}
	f, diags := l.parser.parseSource(src, path)
	r.File = f
	if diags.HasErrors() {
		return r, diags
	}
	content, diags := f.Body.Content(rubricFileSchema)
	l.diags = append(l.diags, diags...)
	l.setContext(map[string]bool{"var": true}, "A rubric's settings are literal values; only its checks may refer to the services and requirements of its requires block.")
	byType := map[string][]*hcl.Block{}
	for _, b := range content.Blocks {
		byType[b.Type] = append(byType[b.Type], b)
	}
	l.decodeRubricHead(r, byType)
	for _, b := range byType["points"] {
		l.decodeRubricPoints(r, b)
	}
	for _, b := range byType["limits"] {
		r.Limits = l.decodeLimits(b)
	}
	// Checks see the names the assignment fixed, as if declared.
	for _, s := range r.Services {
		l.decl["service"].add(s, r.DeclRange)
	}
	for _, id := range r.Requirements {
		l.decl["requirement"].add(id, r.DeclRange)
	}
	l.blockVals = nil
	l.setContext(nil, "")
	seen := newDeclared()
	for _, b := range byType["check"] {
		if first, ok := seen.add(b.Labels[0], b.LabelRanges[0]); !ok {
			l.diags = append(l.diags, errorAt(&b.LabelRanges[0], "Duplicate check",
				"Check %q is already declared at %s; give each check its own name.", b.Labels[0], at(first)))
			continue
		}
		r.Checks = append(r.Checks, l.decodeRubricCheck(b))
	}
	return r, l.diags
}

func (l *loader) decodeRubricHead(r *Rubric, byType map[string][]*hcl.Block) {
	for i, b := range byType["rubric"] {
		if i > 0 {
			l.duplicateBlock(b, "A grading file holds one rubric block; the first is at %s.", at(r.DeclRange))
			continue
		}
		content, diags := b.Body.Content(rubricSchema)
		l.diags = append(l.diags, diags...)
		r.Name, r.DeclRange = b.Labels[0], b.DefRange
		r.Title = l.str(content.Attributes["title"], r.Name)
		if attr := content.Attributes["due"]; attr != nil {
			text := l.str(attr, "")
			t, err := time.Parse(time.RFC3339, text)
			if err != nil {
				l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid due date",
					"%q is not a date and time; write it as \"2026-12-20T17:00:00+01:00\" (RFC 3339, with its time zone).", text))
			}
			r.Due = t
		}
	}
	if len(byType["rubric"]) == 0 {
		l.diags = append(l.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Missing rubric block",
			Detail: "A grading file needs a rubric \"name\" { title = \"...\" } block."})
	}
	for i, b := range byType["requires"] {
		if i > 0 {
			l.duplicateBlock(b, "A grading file holds one requires block; merge the two.")
			continue
		}
		content, diags := b.Body.Content(requiresSchema)
		l.diags = append(l.diags, diags...)
		r.Services = l.strs(content.Attributes["services"])
		r.Requirements = l.strs(content.Attributes["requirements"])
	}
}

// decodeRubricPoints reads points { "FR-01" = 2 }: requirement ids must be
// those of the requires block.
func (l *loader) decodeRubricPoints(r *Rubric, b *hcl.Block) {
	attrs, diags := b.Body.JustAttributes()
	l.diags = append(l.diags, diags...)
	known := map[string]bool{}
	for _, id := range r.Requirements {
		known[id] = true
	}
	for _, name := range sortedKeys(attrs) {
		attr := attrs[name]
		if !known[name] {
			l.diags = append(l.diags, errorAt(&attr.NameRange, "Unknown requirement",
				"Requirement %q is not in requires.requirements; add it there or remove these points.", name))
			continue
		}
		n := l.integer(attr, 0)
		if n < 0 {
			l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Negative points",
				"Points are 0 or more; %d is negative.", n))
			n = 0
		}
		r.Points[name] = n
	}
}

func (l *loader) decodeLimits(b *hcl.Block) Limits {
	content, diags := b.Body.Content(limitsSchema)
	l.diags = append(l.diags, diags...)
	a := content.Attributes
	var lim Limits
	size := func(attr *hcl.Attribute) int64 {
		if attr == nil {
			return 0
		}
		text := l.str(attr, "")
		n, err := parseMemory(text)
		if err != nil || n <= 0 {
			l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid size",
				"%q is not a size; write a number with a unit, like \"512m\" or \"1g\".", text))
		}
		return n
	}
	lim.MemoryBytes = size(a["memory"])
	lim.DiskBytes = size(a["disk"])
	if attr := a["cpus"]; attr != nil {
		lim.CPUs = l.float(attr, 0)
		if lim.CPUs <= 0 {
			l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid CPU limit",
				"cpus = %g; give a positive number of CPUs, like 0.5 or 1.", lim.CPUs))
		}
	}
	if attr := a["pids"]; attr != nil {
		lim.Pids = int64(l.integer(attr, 0))
		if lim.Pids <= 0 {
			l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid pids limit",
				"pids = %d; give a positive number of processes, like 256.", lim.Pids))
		}
	}
	return lim
}

// decodeRubricCheck splits points and visibility from a check block and
// decodes the rest as a step check (a rubric check verifies nothing of
// the student's own requirements).
func (l *loader) decodeRubricCheck(b *hcl.Block) *RubricCheck {
	content, remain, diags := b.Body.PartialContent(rubricCheckSchema)
	l.diags = append(l.diags, diags...)
	inner := *b
	inner.Body = remain
	rc := &RubricCheck{Check: l.decodeCheckBlock(&inner, false), Visibility: "hidden"}
	a := content.Attributes
	rc.Points = l.integer(a["points"], 1)
	if rc.Points < 0 {
		l.diags = append(l.diags, errorAt(a["points"].Expr.Range().Ptr(), "Negative points",
			"Points are 0 or more; %d is negative.", rc.Points))
		rc.Points = 0
	}
	if attr := a["visibility"]; attr != nil {
		rc.Visibility = l.str(attr, "hidden")
		if !slices.Contains(Visibilities, rc.Visibility) {
			l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid visibility",
				"visibility = %q; use one of %s.", rc.Visibility, quoteList(Visibilities)))
		}
	}
	return rc
}
