package config

import (
	"time"

	"github.com/hashicorp/hcl/v2"
)

const (
	defaultReadyTimeout  = 60 * time.Second
	defaultReadyInterval = 100 * time.Millisecond
)

// decodeReadyBody decodes a ready block of a service.
func (l *loader) decodeReadyBody(body hcl.Body, defRange hcl.Range, schema *hcl.BodySchema) *Ready {
	content, diags := body.Content(schema)
	l.diags = append(l.diags, diags...)
	return l.decodeReadyContent(content, defRange, "ready")
}

// decodeReadyContent decodes the probe of a ready block or a wait action:
// exactly one of exec, http, port, log or healthcheck = true.
func (l *loader) decodeReadyContent(content *hcl.BodyContent, defRange hcl.Range, what string) *Ready {
	a := content.Attributes
	r := &Ready{DeclRange: defRange}
	r.Healthcheck = l.boolean(a["healthcheck"], false)
	r.Timeout = l.duration(a["timeout"], defaultReadyTimeout)
	r.Interval = l.duration(a["interval"], defaultReadyInterval)
	probes := 0
	if r.Healthcheck {
		probes++
	}
	for _, b := range content.Blocks {
		probes++
		if probes > 1 {
			l.diags = append(l.diags, errorAt(rangePtr(b.DefRange), "More than one probe",
				"A %s block waits for exactly one probe (exec, http, port, log or healthcheck = true); use a step with several wait actions to wait for more.", what))
			continue
		}
		switch b.Type {
		case "exec":
			c, diags := b.Body.Content(readyExecSchema)
			l.diags = append(l.diags, diags...)
			r.Exec = &ReadyExec{Command: l.command(c.Attributes["command"]), ExitCode: l.integer(c.Attributes["exit_code"], 0)}
		case "http":
			c, diags := b.Body.Content(readyHTTPSchema)
			l.diags = append(l.diags, diags...)
			r.HTTP = &ReadyHTTP{
				Port:   l.port(c.Attributes["port"], 0, false),
				Path:   l.str(c.Attributes["path"], "/"),
				Status: l.status(c.Attributes["status"]),
			}
		case "port":
			c, diags := b.Body.Content(readyPortSchema)
			l.diags = append(l.diags, diags...)
			r.Port = &ReadyPort{Port: l.port(c.Attributes["port"], 0, false), Protocol: l.enum(c.Attributes["protocol"], "tcp", protocols)}
		case "log":
			c, diags := b.Body.Content(readyLogSchema)
			l.diags = append(l.diags, diags...)
			r.Log = &ReadyLog{Pattern: l.regex(c.Attributes["pattern"]), Occurrences: l.integer(c.Attributes["occurrences"], 1)}
			if r.Log.Occurrences < 1 {
				l.diags = append(l.diags, errorAt(c.Attributes["occurrences"].Expr.Range().Ptr(), "Invalid occurrences",
					"occurrences counts how often the pattern must appear; give a number of at least 1."))
				r.Log.Occurrences = 1
			}
		}
	}
	if probes == 0 {
		l.diags = append(l.diags, errorAt(rangePtr(defRange), "Missing probe",
			"A %s block needs a probe: an exec, http, port or log block, or healthcheck = true.", what))
	}
	return r
}

// status decodes an HTTP status code (default 200).
func (l *loader) status(attr *hcl.Attribute) int {
	n := l.integer(attr, 200)
	if attr != nil && (n < 100 || n > 599) {
		l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid HTTP status",
			"%d is not an HTTP status code; give a number between 100 and 599, like 200.", n))
		return 200
	}
	return n
}
