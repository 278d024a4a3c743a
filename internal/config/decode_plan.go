package config

import (
	"time"

	"github.com/hashicorp/hcl/v2"
)

const (
	defaultStepTimeout   = 5 * time.Minute
	defaultActionTimeout = 2 * time.Minute
)

var onFailureModes = []string{"stop", "continue", "rollback"}

func (l *loader) decodePlanBlock(b *hcl.Block) *Plan {
	content, diags := b.Body.Content(planSchema)
	l.diags = append(l.diags, diags...)
	return &Plan{
		Name:        b.Labels[0],
		Title:       l.str(content.Attributes["title"], ""),
		Description: l.str(content.Attributes["description"], ""),
		DeclRange:   b.DefRange,
	}
}

func (l *loader) decodeStepBlock(b *hcl.Block) *Step {
	content, diags := b.Body.Content(stepSchema)
	l.diags = append(l.diags, diags...)
	a := content.Attributes
	s := &Step{ID: b.Labels[0], DeclRange: b.DefRange, Retry: Retry{Attempts: 1}}
	s.Title = l.str(a["title"], "")
	s.Implements, _ = l.refs(a["implements"], "requirement")
	s.Timeout = l.duration(a["timeout"], defaultStepTimeout)
	s.Planned = l.duration(a["planned"], 0)
	s.OnFailure = l.enum(a["on_failure"], "stop", onFailureModes)
	var retry, rollback *hcl.Block
	checks := map[string]hcl.Range{}
	for _, blk := range content.Blocks {
		switch blk.Type {
		case "retry":
			if retry != nil {
				l.duplicateBlock(blk, "Step %q already has a retry block at %s; remove one.", s.ID, at(retry.DefRange))
				continue
			}
			retry = blk
			s.Retry = l.decodeRetryBlock(blk)
		case "rollback":
			if rollback != nil {
				l.duplicateBlock(blk, "Step %q already has a rollback block at %s; put every rollback action in one block.", s.ID, at(rollback.DefRange))
				continue
			}
			rollback = blk
			rc, diags := blk.Body.Content(rollbackSchema)
			l.diags = append(l.diags, diags...)
			for _, ab := range rc.Blocks {
				s.Rollback = append(s.Rollback, l.decodeActionBlock(ab))
			}
		case "check":
			if c := l.namedCheck(blk, checks, "Step", s.ID); c != nil {
				s.Checks = append(s.Checks, c)
			}
		default:
			s.Actions = append(s.Actions, l.decodeActionBlock(blk))
		}
	}
	if len(s.Actions) == 0 {
		l.diags = append(l.diags, errorAt(rangePtr(b.DefRange), "Step without actions",
			"Step %q does nothing; add at least one action (%s).", s.ID, quoteList(actionKinds)))
	}
	if s.OnFailure == "rollback" && len(s.Rollback) == 0 {
		l.diags = append(l.diags, warningAt(a["on_failure"].Expr.Range().Ptr(), "Rollback without actions",
			"Step %q rolls back on failure but has no rollback block, so nothing will be undone; add a rollback block or use on_failure = \"stop\".", s.ID))
	}
	return s
}

func (l *loader) decodeRetryBlock(b *hcl.Block) Retry {
	content, diags := b.Body.Content(retrySchema)
	l.diags = append(l.diags, diags...)
	r := Retry{
		Attempts: l.integer(content.Attributes["attempts"], 1),
		Delay:    l.duration(content.Attributes["delay"], 0),
	}
	if attr := content.Attributes["attempts"]; attr != nil && (r.Attempts < 1 || r.Attempts > 100) {
		l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid number of attempts",
			"attempts counts every try, the first included; give a number from 1 to 100."))
		r.Attempts = 1
	}
	return r
}

// newAction decodes what every action block has (its kind, place and
// timeout) against schema and returns its content for the rest.
func (l *loader) newAction(b *hcl.Block, schema *hcl.BodySchema) (*Action, *hcl.BodyContent) {
	content, diags := b.Body.Content(schema)
	l.diags = append(l.diags, diags...)
	return &Action{Kind: b.Type, DeclRange: b.DefRange, Timeout: l.duration(content.Attributes["timeout"], defaultActionTimeout)}, content
}

func (l *loader) decodeActionBlock(b *hcl.Block) *Action {
	act, content := l.newAction(b, actionSchemas[b.Type])
	a := content.Attributes
	switch b.Type {
	case "exec":
		e := &ExecAction{
			Service:  l.ref(a["service"], "service"),
			Command:  l.command(a["command"]),
			User:     l.str(a["user"], ""),
			WorkDir:  l.str(a["workdir"], ""),
			ExitCode: l.integer(a["exit_code"], 0),
		}
		e.Env, _ = l.stringMap(a["env"])
		if attr := a["stdin_file"]; attr != nil {
			e.StdinFile = l.pathInFolder(attr)
		}
		act.Exec = e
	case "copy":
		c := &CopyAction{
			Service: l.ref(a["service"], "service"),
			Target:  l.str(a["target"], ""),
			Owner:   l.str(a["owner"], ""),
			Mode:    l.mode(a["mode"], 0),
		}
		if attr := a["source"]; attr != nil {
			c.Source = l.pathInFolder(attr)
		}
		if attr := a["target"]; attr != nil && c.Target != "" && c.Target != knownAfterUp && c.Target[0] != '/' {
			l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Relative copy target",
				"The target %q must be an absolute path inside the container, like \"/www/index.html\".", c.Target))
		}
		act.Copy = c
	case "restart", "stop", "start":
		act.Service = l.ref(a["service"], "service")
	case "wait":
		act.Wait = &WaitAction{
			Service: l.ref(a["service"], "service"),
			Ready:   l.decodeReadyContent(content, b.DefRange, "wait"),
		}
		if a["timeout"] == nil {
			act.Timeout = act.Wait.Ready.Timeout
		}
	case "http":
		act.HTTP = l.decodeHTTP(a)
	}
	return act
}

// pathInFolder decodes a path relative to the environment folder into an
// absolute one, reporting paths that leave it or do not exist. The files
// are not read here (a copy source may be a whole folder).
func (l *loader) pathInFolder(attr *hcl.Attribute) string {
	rel := l.str(attr, "")
	if rel == "" || rel == knownAfterUp {
		return rel
	}
	p, err := l.resolve(rel)
	if err != nil {
		l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid path",
			"The %s cannot be used: %s.", attr.Name, err))
		return ""
	}
	return p
}
