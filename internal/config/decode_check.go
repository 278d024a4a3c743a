package config

import (
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
)

const defaultCheckTimeout = 30 * time.Second

var serviceStates = []string{"running", "healthy", "stopped"}

// decodeCheckBlock decodes an acceptance check (top level, with verifies)
// or a step check (inside a step, without). Expectations live inside the
// kind block, so every kind has one shape (see docs/adr/0001-language.md).
func (l *loader) decodeCheckBlock(b *hcl.Block, acceptance bool) *Check {
	schema := stepCheckSchema
	if acceptance {
		schema = checkSchema
	}
	content, diags := b.Body.Content(schema)
	l.diags = append(l.diags, diags...)
	a := content.Attributes
	c := &Check{Name: b.Labels[0], DeclRange: b.DefRange}
	c.Title = l.str(a["title"], "")
	c.Timeout = l.duration(a["timeout"], defaultCheckTimeout)
	if acceptance {
		attr := a["verifies"]
		before := len(l.diags)
		c.Verifies, _ = l.refs(attr, "requirement")
		if len(c.Verifies) == 0 && !l.diags[before:].HasErrors() {
			rng := b.DefRange
			if attr != nil {
				rng = attr.Expr.Range()
			}
			l.diags = append(l.diags, errorAt(&rng, "Check verifies no requirement",
				"Acceptance check %q does not say which requirement it verifies; add verifies = [requirement.<id>], so the report can show which requirements passed.", c.Name))
		}
	}
	var kind *hcl.Block
	for _, kb := range content.Blocks {
		if kind != nil {
			l.diags = append(l.diags, errorAt(rangePtr(kb.DefRange), "More than one check kind",
				"Check %q already is a %s check (%s); a check tests one thing, so move this %s block into a check of its own.", c.Name, kind.Type, at(kind.DefRange), kb.Type))
			continue
		}
		kind = kb
	}
	if kind == nil {
		l.diags = append(l.diags, errorAt(rangePtr(b.DefRange), "Missing check kind",
			"Check %q needs one block saying what to check: %s.", c.Name, quoteList(checkKinds)))
		return c
	}
	c.Probe = l.decodeProbe(kind)
	return c
}

func (l *loader) decodeProbe(b *hcl.Block) Probe {
	content, diags := b.Body.Content(probeSchemas[b.Type])
	l.diags = append(l.diags, diags...)
	a := content.Attributes
	p := Probe{Kind: b.Type}
	switch b.Type {
	case "exec":
		e := &ExecProbe{
			Service: l.ref(a["service"], "service"),
			Command: l.command(a["command"]),
			User:    l.str(a["user"], ""),
			WorkDir: l.str(a["workdir"], ""),
		}
		e.Env, _ = l.stringMap(a["env"])
		if attr := a["exit_code"]; attr != nil {
			n := l.integer(attr, 0)
			e.ExitCode = &n
		}
		e.StdoutContains = l.str(a["stdout_contains"], "")
		e.StdoutMatches = l.regex(a["stdout_matches"])
		e.StderrContains = l.str(a["stderr_contains"], "")
		e.StderrMatches = l.regex(a["stderr_matches"])
		p.Exec = e
	case "http":
		h := l.decodeHTTP(a)
		h.BodyContains = l.str(a["body_contains"], "")
		h.BodyMatches = l.regex(a["body_matches"])
		h.Header, _ = l.stringMap(a["header"])
		h.JSONPath = l.str(a["json_path"], "")
		h.JSONEquals = l.str(a["json_equals"], "")
		if a["json_equals"] != nil && a["json_path"] == nil {
			l.diags = append(l.diags, errorAt(a["json_equals"].Expr.Range().Ptr(), "Missing json_path",
				"json_equals compares the value at json_path; add json_path = \"items.0.name\" (or similar)."))
		}
		p.HTTP = h
	case "tcp":
		t := &TCPProbe{
			From:      l.ref(a["from"], "service"),
			Address:   l.str(a["address"], ""),
			Reachable: l.boolean(a["reachable"], true),
		}
		if attr := a["address"]; attr != nil {
			l.checkAddress(attr, t.Address)
		}
		p.TCP = t
	case "dns":
		p.DNS = &DNSProbe{
			From:     l.ref(a["from"], "service"),
			Name:     l.str(a["name"], ""),
			Address:  l.str(a["address"], ""),
			Resolves: l.boolean(a["resolves"], true),
		}
	case "file":
		f := &FileProbe{
			Service:  l.ref(a["service"], "service"),
			Path:     l.str(a["path"], ""),
			Exists:   l.boolean(a["exists"], true),
			Contains: l.str(a["contains"], ""),
		}
		if attr := a["mode"]; attr != nil {
			f.Mode = "0" + strconv.FormatUint(uint64(l.mode(attr, 0o644)), 8)
		}
		p.File = f
	case "process":
		p.Process = &ProcessProbe{
			Service: l.ref(a["service"], "service"),
			Name:    l.str(a["name"], ""),
			Running: l.boolean(a["running"], true),
		}
	case "service":
		p.Service = &ServiceProbe{
			Service: l.ref(a["service"], "service"),
			State:   l.enum(a["state"], "running", serviceStates),
		}
	}
	return p
}

// decodeHTTP decodes what an http check and an http action share.
func (l *loader) decodeHTTP(a hcl.Attributes) *HTTPProbe {
	h := &HTTPProbe{
		From:   l.ref(a["from"], "service"),
		URL:    l.str(a["url"], ""),
		Method: strings.ToUpper(l.str(a["method"], "GET")),
		Body:   l.str(a["body"], ""),
		Status: l.status(a["status"]),
	}
	h.Headers, _ = l.stringMap(a["headers"])
	if attr := a["url"]; attr != nil && h.URL != "" && h.URL != knownAfterUp &&
		!strings.HasPrefix(h.URL, "http://") && !strings.HasPrefix(h.URL, "https://") {
		l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid URL",
			"%q is not an http:// or https:// URL; write the whole URL, like \"http://127.0.0.1:8080/\".", h.URL))
	}
	return h
}

// checkAddress validates a host:port address.
func (l *loader) checkAddress(attr *hcl.Attribute, addr string) {
	if addr == "" || strings.Contains(addr, knownAfterUp) {
		return
	}
	host, port, err := net.SplitHostPort(addr)
	n, perr := strconv.Atoi(port)
	if err != nil || host == "" || perr != nil || n < 1 || n > 65535 {
		l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid address",
			"%q is not a host:port address; write it like \"db:3306\" or \"127.0.0.1:8080\".", addr))
	}
}
