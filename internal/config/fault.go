package config

import (
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Fault is a troubleshooting exercise: actions that break the running
// instance on purpose (Inject), the ticket the student gets, the checks
// that pass again once it is repaired (Recovered) and the teacher's
// reference repair (Solution).
type Fault struct {
	ID    string
	Title string // for the teacher
	// Ticket is what the student reads, by language ("nl", "en"); a plain
	// string is stored under "".
	Ticket   map[string]string
	Priority string // one of FaultPriorities
	Category string // one of FaultCategories
	Hints    []string
	Inject   []*Action
	// RecoveredChecks names acceptance checks; RecoveredOwn are the
	// fault's own checks. Both must pass before the fault is injected and
	// again after the repair.
	RecoveredChecks []string
	RecoveredOwn    []*Check
	Solution        []*Action
	DeclRange       hcl.Range
}

// FaultPriorities and FaultCategories are the accepted values of a
// fault's priority and category.
var (
	FaultPriorities = []string{"low", "medium", "high", "critical"}
	FaultCategories = []string{"service", "network", "configuration", "storage", "security", "performance"}
)

// FaultAction holds the settings of the actions only a fault may take.
type FaultAction struct {
	Service string
	Process string // kill: the process name (its comm)
	Signal  string // kill: default "TERM"
	Path    string // chmod, chown, fill
	Mode    uint32 // chmod
	Owner   string // chown: "user", "user:group", "uid:gid"
	Size    int64  // fill: bytes
	Network string // disconnect, connect
	Delay   time.Duration
	Jitter  time.Duration
	Loss    float64 // netem: percent
	Port    int     // block
	// Protocol of block: "tcp" or "udp".
	Protocol string
}

// faultActionKinds are the actions only a fault's inject and solution
// may use, besides every step action.
var faultActionKinds = []string{"kill", "chmod", "chown", "fill", "disconnect", "connect", "netem", "block"}

var faultSchema = &hcl.BodySchema{
	Attributes: join(required("ticket"), attrs("title", "priority", "category", "hints")),
	Blocks:     blocks("inject", "recovered", "solution"),
}

var faultActionsSchema = &hcl.BodySchema{Blocks: blocks(append(append([]string{}, actionKinds...), faultActionKinds...)...)}

var recoveredSchema = &hcl.BodySchema{
	Attributes: attrs("checks"),
	Blocks:     []hcl.BlockHeaderSchema{{Type: "check", LabelNames: []string{"name"}}},
}

var faultActionSchemas = map[string]*hcl.BodySchema{
	"kill":       {Attributes: join(required("service", "process"), attrs("signal", "timeout"))},
	"chmod":      {Attributes: join(required("service", "path", "mode"), attrs("timeout"))},
	"chown":      {Attributes: join(required("service", "path", "owner"), attrs("timeout"))},
	"fill":       {Attributes: join(required("service", "path", "size"), attrs("timeout"))},
	"disconnect": {Attributes: join(required("service", "network"), attrs("timeout"))},
	"connect":    {Attributes: join(required("service", "network"), attrs("timeout"))},
	"netem":      {Attributes: join(required("service"), attrs("delay", "jitter", "loss", "timeout"))},
	"block":      {Attributes: join(required("service", "port"), attrs("protocol", "timeout"))},
}

// Fault returns the fault with id, or nil.
func (e *Environment) Fault(id string) *Fault {
	for _, f := range e.Faults {
		if f.ID == id {
			return f
		}
	}
	return nil
}

// FaultIDs are the ids of the environment's faults, sorted.
func (e *Environment) FaultIDs() []string {
	ids := make([]string, 0, len(e.Faults))
	for _, f := range e.Faults {
		ids = append(ids, f.ID)
	}
	sort.Strings(ids)
	return ids
}

// DidYouMean is " Did you mean "x"?" for the candidate closest to given,
// or "" when none is close.
func DidYouMean(given string, candidates []string) string { return didYouMean(given, candidates) }

// TicketText is the fault's ticket in lang, else in Dutch, English or
// whichever was written.
func (f *Fault) TicketText(lang string) string {
	for _, k := range []string{lang, "", "nl", "en"} {
		if t, ok := f.Ticket[k]; ok {
			return t
		}
	}
	keys := make([]string, 0, len(f.Ticket))
	for k := range f.Ticket {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return ""
	}
	return f.Ticket[keys[0]]
}

func (l *loader) decodeFaultBlock(b *hcl.Block) *Fault {
	content, diags := b.Body.Content(faultSchema)
	l.diags = append(l.diags, diags...)
	a := content.Attributes
	f := &Fault{ID: b.Labels[0], DeclRange: b.DefRange}
	f.Title = l.str(a["title"], f.ID)
	f.Ticket = l.ticket(a["ticket"])
	f.Priority = l.enum(a["priority"], "medium", FaultPriorities)
	f.Category = l.enum(a["category"], "service", FaultCategories)
	f.Hints = l.strs(a["hints"])
	seen := map[string]hcl.Range{}
	for _, blk := range content.Blocks {
		if first, dup := seen[blk.Type]; dup {
			l.diags = append(l.diags, errorAt(rangePtr(blk.DefRange), "Duplicate "+blk.Type+" block",
				"Fault %q already has an %s block at %s; put everything of it in one block.", f.ID, blk.Type, at(first)))
			continue
		}
		seen[blk.Type] = blk.DefRange
		switch blk.Type {
		case "inject":
			f.Inject = l.decodeFaultActions(blk)
		case "solution":
			f.Solution = l.decodeFaultActions(blk)
		case "recovered":
			l.decodeRecovered(blk, f)
		}
	}
	if len(f.Inject) == 0 {
		l.diags = append(l.diags, errorAt(rangePtr(b.DefRange), "Fault without inject",
			"Fault %q breaks nothing; add an inject block with at least one action (%s).", f.ID, quoteList(append(append([]string{}, actionKinds...), faultActionKinds...))))
	}
	if len(f.RecoveredChecks)+len(f.RecoveredOwn) == 0 {
		l.diags = append(l.diags, errorAt(rangePtr(b.DefRange), "Fault without recovered checks",
			"Fault %q cannot tell when it is repaired; add a recovered block with checks = [check.<name>] or a check block of its own.", f.ID))
	}
	return f
}

// ticket decodes a ticket written as a string or as an object of
// language -> text (ticket = { nl = "...", en = "..." }).
func (l *loader) ticket(attr *hcl.Attribute) map[string]string {
	if attr == nil {
		return nil
	}
	v, ok := l.value(attr)
	if !ok || !v.IsKnown() || v.IsNull() {
		return nil
	}
	if v.Type() == cty.String {
		return map[string]string{"": v.AsString()}
	}
	m, _ := l.stringMap(attr)
	for lang := range m {
		if lang != strings.ToLower(lang) || len(lang) != 2 {
			l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid ticket language",
				"%q is not a two-letter language code; write the ticket as { nl = \"...\", en = \"...\" }.", lang))
		}
	}
	return m
}

func (l *loader) decodeRecovered(b *hcl.Block, f *Fault) {
	content, diags := b.Body.Content(recoveredSchema)
	l.diags = append(l.diags, diags...)
	f.RecoveredChecks, _ = l.refs(content.Attributes["checks"], "check")
	names := map[string]hcl.Range{}
	for _, blk := range content.Blocks {
		if c := l.namedCheck(blk, names, "Fault", f.ID); c != nil {
			f.RecoveredOwn = append(f.RecoveredOwn, c)
		}
	}
}

// namedCheck decodes a check block of the step or fault id (owner);
// a second check of a name in seen is refused (nil).
func (l *loader) namedCheck(blk *hcl.Block, seen map[string]hcl.Range, owner, id string) *Check {
	name := blk.Labels[0]
	if first, dup := seen[name]; dup {
		l.diags = append(l.diags, errorAt(rangePtr(blk.LabelRanges[0]), "Duplicate check "+quote(name),
			"%s %q already has a check named %q at %s; rename one of them.", owner, id, name, at(first)))
		return nil
	}
	seen[name] = blk.LabelRanges[0]
	l.checkName(blk, "check")
	return l.decodeCheckBlock(blk, false)
}

func (l *loader) decodeFaultActions(b *hcl.Block) []*Action {
	content, diags := b.Body.Content(faultActionsSchema)
	l.diags = append(l.diags, diags...)
	var out []*Action
	for _, ab := range content.Blocks {
		if _, ok := faultActionSchemas[ab.Type]; ok {
			out = append(out, l.decodeFaultAction(ab))
			continue
		}
		out = append(out, l.decodeActionBlock(ab))
	}
	return out
}

func (l *loader) decodeFaultAction(b *hcl.Block) *Action {
	act, content := l.newAction(b, faultActionSchemas[b.Type])
	a := content.Attributes
	fa := &FaultAction{Service: l.ref(a["service"], "service")}
	act.Service = fa.Service
	switch b.Type {
	case "kill":
		fa.Process = l.str(a["process"], "")
		fa.Signal = strings.TrimPrefix(strings.ToUpper(l.str(a["signal"], "TERM")), "SIG")
		if !validSignal(fa.Signal) {
			l.diags = append(l.diags, errorAt(a["signal"].Expr.Range().Ptr(), "Unknown signal",
				"%q is not a signal kill can send; use one of %s.", fa.Signal, quoteList(signals)))
		}
	case "chmod":
		fa.Path = l.absPath(a["path"])
		fa.Mode = l.mode(a["mode"], 0)
	case "chown":
		fa.Path = l.absPath(a["path"])
		fa.Owner = l.str(a["owner"], "")
	case "fill":
		fa.Path = l.absPath(a["path"])
		if attr := a["size"]; attr != nil {
			text := l.str(attr, "")
			n, err := parseMemory(text)
			if err != nil && text != knownAfterUp {
				l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid size",
					"%q is not a size; write a number with a unit, like \"64m\" or \"1g\" (b, k, m, g).", text))
			}
			fa.Size = n
		}
	case "disconnect", "connect":
		fa.Network = l.ref(a["network"], "network")
	case "netem":
		fa.Delay = l.duration(a["delay"], 0)
		fa.Jitter = l.duration(a["jitter"], 0)
		fa.Loss = l.float(a["loss"], 0)
		if fa.Loss < 0 || fa.Loss > 100 {
			l.diags = append(l.diags, errorAt(a["loss"].Expr.Range().Ptr(), "Invalid loss",
				"loss is a percentage of packets; give a number from 0 to 100."))
		}
		if fa.Delay == 0 && fa.Loss == 0 {
			l.diags = append(l.diags, errorAt(rangePtr(b.DefRange), "netem changes nothing",
				"Give delay (like \"200ms\") or loss (a percentage), or both."))
		}
	case "block":
		fa.Port = l.integer(a["port"], 0)
		fa.Protocol = l.enum(a["protocol"], "tcp", []string{"tcp", "udp"})
		if attr := a["port"]; attr != nil && (fa.Port < 1 || fa.Port > 65535) {
			l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid port",
				"port = %d is not a port; give a number from 1 to 65535.", fa.Port))
		}
	}
	act.Fault = fa
	return act
}

// absPath decodes a path inside a container, which must be absolute.
func (l *loader) absPath(attr *hcl.Attribute) string {
	p := l.str(attr, "")
	if attr != nil && p != "" && p != knownAfterUp && !strings.HasPrefix(p, "/") {
		l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Relative path",
			"The %s %q must be an absolute path inside the container, like \"/var/www\".", attr.Name, p))
	}
	return p
}

var signals = []string{"TERM", "KILL", "INT", "HUP", "QUIT", "STOP", "USR1", "USR2"}

func validSignal(s string) bool {
	for _, v := range signals {
		if s == v {
			return true
		}
	}
	return false
}
