package probe

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/proeftuin/proeftuin/internal/phrase"
)

// DNSSpec is a dns probe: does Name resolve (to Address)?
type DNSSpec struct {
	Name        string
	Address     string // expected address; "" means "resolves at all"
	Resolves    bool   // the expectation
	Timeout     time.Duration
	Nameservers []string // nil: Go's default resolver
}

// Expected describes the expectation: "db resolves to 10.0.0.10",
// "db resolves", "db does not resolve".
func (s DNSSpec) Expected() string {
	switch {
	case !s.Resolves:
		return s.Name + " does not resolve"
	case s.Address != "":
		return s.Name + " resolves to " + s.Address
	default:
		return s.Name + " resolves"
	}
}

// ExpectedText is Expected as phrases.
func (s DNSSpec) ExpectedText() phrase.Text {
	switch {
	case !s.Resolves:
		return phrase.Of(phrase.P("not_resolves", s.Name))
	case s.Address != "":
		return phrase.Of(phrase.P("resolves_to", s.Name, s.Address))
	default:
		return phrase.Of(phrase.P("resolves", s.Name))
	}
}

// DNS resolves spec.Name once (A and AAAA). Only a definite "no such host"
// counts as "does not resolve"; a timeout or a server failure is neither
// outcome, so it never satisfies an expectation.
func DNS(ctx context.Context, spec DNSSpec) Result {
	var want netip.Addr
	if spec.Address != "" {
		a, err := netip.ParseAddr(spec.Address)
		if err != nil {
			return Result{Actual: "invalid expected address " + quote(spec.Address), Detail: err.Error()}
		}
		want = a.Unmap()
	}
	ctx, cancel := timeoutCtx(ctx, spec.Timeout)
	defer cancel()
	r := Resolver(spec.Nameservers)
	if r == nil {
		r = net.DefaultResolver
	}
	addrs, err := r.LookupNetIP(ctx, "ip", spec.Name)
	if err != nil {
		var dnsErr *net.DNSError
		if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
			return Result{OK: !spec.Resolves, Actual: "does not resolve (no such host)", Detail: err.Error(), Text: phrase.Of(phrase.P("no_such_host"))}
		}
		return Result{Actual: "lookup failed: " + DescribeError(err), Detail: err.Error()}
	}
	texts := make([]string, 0, len(addrs))
	found := false
	for _, a := range addrs {
		a = a.Unmap()
		if want.IsValid() && a == want {
			found = true
		}
		texts = append(texts, a.String())
	}
	slices.Sort(texts)
	texts = slices.Compact(texts)
	if len(texts) == 0 {
		// Go reports an empty answer as "no such host"; be safe anyway.
		return Result{OK: !spec.Resolves, Actual: "does not resolve (no addresses)", Text: phrase.Of(phrase.P("no_addresses"))}
	}
	actual := "resolves to " + strings.Join(texts, ", ")
	text := phrase.Of(phrase.P("resolved_to", strings.Join(texts, ", ")))
	switch {
	case !spec.Resolves:
		return Result{Actual: actual, Text: text}
	case want.IsValid():
		return Result{OK: found, Actual: actual, Text: text}
	default:
		return Result{OK: true, Actual: actual, Text: text}
	}
}
