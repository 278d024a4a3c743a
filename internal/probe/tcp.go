package probe

import (
	"context"
	"net"
	"time"

	"github.com/proeftuin/proeftuin/internal/phrase"
)

// TCPSpec is a tcp probe: can a connection to Address be opened?
type TCPSpec struct {
	Address     string // host:port
	Reachable   bool   // the expectation
	Timeout     time.Duration
	Nameservers []string // resolve host names here; nil: Go's default resolver
}

// Expected describes the expectation: "reachable" or "not reachable".
func (s TCPSpec) Expected() string {
	if s.Reachable {
		return "reachable"
	}
	return "not reachable"
}

// ExpectedText is Expected as phrases.
func (s TCPSpec) ExpectedText() phrase.Text {
	if s.Reachable {
		return phrase.Of(phrase.P("reachable"))
	}
	return phrase.Of(phrase.P("not_reachable"))
}

// TCP dials spec.Address once. A refused, reset, unroutable or timed-out
// connection and an unknown host all count as "not reachable".
func TCP(ctx context.Context, spec TCPSpec) Result {
	if _, _, err := net.SplitHostPort(spec.Address); err != nil {
		return Result{Actual: "invalid address " + quote(spec.Address), Detail: err.Error()}
	}
	ctx, cancel := timeoutCtx(ctx, spec.Timeout)
	defer cancel()
	d := net.Dialer{Resolver: Resolver(spec.Nameservers)}
	conn, err := d.DialContext(ctx, "tcp", spec.Address)
	if err != nil {
		return Result{OK: !spec.Reachable, Actual: DescribeError(err), Detail: err.Error(), Text: ErrorText(err)}
	}
	remote := conn.RemoteAddr().String()
	_ = conn.Close()
	return Result{OK: spec.Reachable, Actual: "reachable", Detail: "connected to " + remote, Text: phrase.Of(phrase.P("reachable"))}
}
