package config

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// expose reads the expose attribute of a service: the ports it listens on
// for the other services, as documentation (the plan and the design show
// them; nothing is published on the host). Elements are numbers (8080) or
// strings ("8080", "53/udp"); the result is "8080/tcp", "53/udp".
func (l *loader) expose(attr *hcl.Attribute) []string {
	v, ok := l.value(attr)
	if !ok || !v.IsKnown() {
		return nil
	}
	t := v.Type()
	if !(t.IsListType() || t.IsTupleType() || t.IsSetType()) {
		l.exposeError(attr, "expose takes a list")
		return nil
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if !e.IsKnown() || e.IsNull() {
			continue
		}
		var text string
		switch e.Type() {
		case cty.Number:
			bf := e.AsBigFloat()
			text = bf.Text('f', -1)
		case cty.String:
			text = e.AsString()
		default:
			l.exposeError(attr, "an element is neither a number nor a string")
			continue
		}
		p, err := exposedPort(text)
		if err != nil {
			l.exposeError(attr, err.Error())
			continue
		}
		out = append(out, p)
	}
	return out
}

func (l *loader) exposeError(attr *hcl.Attribute, why string) {
	l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid expose",
		"%s; write the ports the service listens on, like expose = [8080, \"53/udp\"].", why))
}

func exposedPort(text string) (string, error) {
	num, proto, hasProto := strings.Cut(text, "/")
	if !hasProto {
		proto = "tcp"
	}
	if proto != "tcp" && proto != "udp" {
		return "", fmt.Errorf("%q has protocol %q, not tcp or udp", text, proto)
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("%q is not a port number between 1 and 65535", text)
	}
	return fmt.Sprintf("%d/%s", n, proto), nil
}
