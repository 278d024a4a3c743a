// Package probe holds the network probes of the check kinds tcp, http and
// dns. They run in two places:
//
//   - on the host, called directly by internal/check for checks without
//     `from` (internal/check restricts those to loopback and published ports);
//   - inside a "probe sidecar" container that shares a service's network
//     namespace, as `/proeftuin probe <kind> --json ...` (see Main), for
//     checks `from` a service. The sidecar image is FROM scratch plus the
//     static proeftuin binary, so nothing here may need a shell, cgo, or
//     files such as /etc/resolv.conf: name servers are passed in.
//
// Every probe evaluates its own expectation and returns a Result.
package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/proeftuin/proeftuin/internal/phrase"
)

// Result is the outcome of one probe attempt.
type Result struct {
	// OK reports that the expectation holds.
	OK bool `json:"ok"`
	// Actual is what was observed, as a short human value: "HTTP 503",
	// "reachable", "connection refused", "resolves to 172.18.0.2".
	Actual string `json:"actual"`
	// Detail adds context for a report: a body excerpt, the full error.
	Detail string `json:"detail,omitempty"`
	// Text is Actual as phrases a report translates; nil when Actual
	// has no phrase form (an error's own words).
	Text phrase.Text `json:"text,omitempty"`
}

// DefaultTimeout bounds a probe when its spec has no timeout.
const DefaultTimeout = 5 * time.Second

// Resolver returns a resolver that sends every DNS query to nameservers
// (host or host:port; port 53 when omitted), in order. With no nameservers
// it returns nil, meaning Go's default resolver.
//
// Go's pure-Go resolver is forced, so no cgo and no /etc/nsswitch.conf are
// involved; /etc/hosts is still read when it exists.
func Resolver(nameservers []string) *net.Resolver {
	if len(nameservers) == 0 {
		return nil
	}
	servers := make([]string, len(nameservers))
	for i, ns := range nameservers {
		servers[i] = NameserverAddr(ns)
	}
	return &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			// Go asks for the servers of its own configuration (none in
			// a scratch image); we dial ours instead, the first that
			// accepts (for UDP: the first).
			var d net.Dialer
			var firstErr error
			for _, s := range servers {
				c, err := d.DialContext(ctx, network, s)
				if err == nil {
					return c, nil
				}
				if firstErr == nil {
					firstErr = err
				}
			}
			return nil, firstErr
		},
	}
}

// NameserverAddr adds port 53 to a nameserver written without a port.
func NameserverAddr(ns string) string {
	ns = strings.TrimSpace(ns)
	if _, _, err := net.SplitHostPort(ns); err == nil {
		return ns
	}
	ns = strings.TrimSuffix(strings.TrimPrefix(ns, "["), "]")
	return net.JoinHostPort(ns, "53")
}

// ParseResolvConf returns the nameserver entries of a resolv.conf file.
func ParseResolvConf(data []byte) []string {
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		if i := strings.IndexAny(line, "#;"); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "nameserver" {
			ns := f[1]
			// Zone-qualified link-local servers are rare; drop the zone.
			if i := strings.IndexByte(ns, '%'); i >= 0 {
				ns = ns[:i]
			}
			if net.ParseIP(ns) != nil {
				out = append(out, ns)
			}
		}
	}
	return out
}

// DescribeError turns a network error into a short phrase for Actual:
// "connection refused", "timed out", "no such host db", ...
func DescribeError(err error) string {
	if err == nil {
		return ""
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		switch {
		case dnsErr.IsNotFound:
			return "no such host " + dnsErr.Name
		case dnsErr.IsTimeout:
			return "name lookup of " + dnsErr.Name + " timed out"
		default:
			return "name lookup of " + dnsErr.Name + " failed: " + dnsErr.Err
		}
	}
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, syscall.EHOSTUNREACH):
		return "host unreachable"
	case errors.Is(err, syscall.ENETUNREACH):
		return "network unreachable"
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return "timed out"
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "timed out"
	}
	return err.Error()
}

// ErrorText is DescribeError's phrase as a text a report translates, or
// nil when the error is described in its own words.
func ErrorText(err error) phrase.Text {
	if err == nil {
		return nil
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		switch {
		case dnsErr.IsNotFound:
			return phrase.Of(phrase.P("err.no_such_host", dnsErr.Name))
		case dnsErr.IsTimeout:
			return phrase.Of(phrase.P("err.lookup_timed_out", dnsErr.Name))
		default:
			return nil
		}
	}
	key := ""
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		key = "err.connection_refused"
	case errors.Is(err, syscall.ECONNRESET):
		key = "err.connection_reset"
	case errors.Is(err, syscall.EHOSTUNREACH):
		key = "err.host_unreachable"
	case errors.Is(err, syscall.ENETUNREACH):
		key = "err.network_unreachable"
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		key = "timed_out"
	case errors.Is(err, context.Canceled):
		key = "err.canceled"
	}
	var ne net.Error
	if key == "" && errors.As(err, &ne) && ne.Timeout() {
		key = "timed_out"
	}
	if key == "" {
		return nil
	}
	return phrase.Of(phrase.P(key))
}

// Excerpt shortens s to at most n runes on one line, for Actual and Detail.
func Excerpt(s string, n int) string {
	s = strings.TrimSpace(s)
	s = strings.NewReplacer("\r\n", "⏎", "\n", "⏎", "\r", "⏎", "\t", " ").Replace(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// timeoutCtx bounds ctx by d (DefaultTimeout when 0).
func timeoutCtx(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		d = DefaultTimeout
	}
	return context.WithTimeout(ctx, d)
}

func quote(s string) string { return fmt.Sprintf("%q", s) }
