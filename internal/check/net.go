package check

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/phrase"
	"github.com/proeftuin/proeftuin/internal/probe"
)

// Per-attempt bounds of the network kinds; an attempt never outlives the
// check's deadline by more than minAttempt.
const (
	tcpAttempt  = 5 * time.Second
	dnsAttempt  = 5 * time.Second
	httpAttempt = 10 * time.Second
)

func (r *Runner) runTCP(ctx context.Context, deadline time.Time, p *config.TCPProbe) Outcome {
	spec := probe.TCPSpec{Address: p.Address, Reachable: p.Reachable}
	if p.From != "" {
		return r.settleInSidecar(ctx, deadline, p.From, spec.ExpectedText(), tcpAttempt, func(timeout time.Duration, ns []string) []string {
			s := spec
			s.Timeout, s.Nameservers = timeout, ns
			return s.Args()
		})
	}
	hostSpec := spec
	return r.settle(ctx, deadline, spec.ExpectedText(), func(ctx context.Context, left time.Duration) attempt {
		addr, err := r.hostAddress(ctx, p.Address)
		if err != nil {
			return attempt{err: err}
		}
		s := hostSpec
		s.Address = addr
		s.Timeout = attemptTimeout(left, tcpAttempt)
		return fromResult(probe.TCP(ctx, s))
	})
}

func (r *Runner) runHTTP(ctx context.Context, deadline time.Time, p *config.HTTPProbe) Outcome {
	spec := httpSpec(p)
	u, err := url.Parse(p.URL)
	if err == nil && (u.Scheme != "http" && u.Scheme != "https" || u.Host == "") {
		err = errors.New("want an http:// or https:// URL with a host")
	}
	if err != nil {
		return errorOutcome(withAttempts(expecting(spec.ExpectedText()), 1), fmt.Errorf("url %q: %w", p.URL, err))
	}
	if p.From != "" {
		return r.settleInSidecar(ctx, deadline, p.From, spec.ExpectedText(), httpAttempt, func(timeout time.Duration, ns []string) []string {
			s := spec
			s.Timeout, s.Nameservers = timeout, ns
			return s.Args()
		})
	}
	return r.settle(ctx, deadline, spec.ExpectedText(), func(ctx context.Context, left time.Duration) attempt {
		hostPort := u.Host
		if u.Port() == "" {
			hostPort = net.JoinHostPort(u.Hostname(), map[string]string{"http": "80", "https": "443"}[u.Scheme])
		}
		addr, err := r.hostAddress(ctx, hostPort)
		if err != nil {
			return attempt{err: err}
		}
		s := spec
		if addr != hostPort {
			// A service's published port: keep the Host header the
			// service would have seen.
			target := *u
			target.Host = addr
			s.URL = target.String()
			if !hasHeader(s.Headers, "Host") {
				s.Headers = withHeader(s.Headers, "Host", u.Host)
			}
		}
		s.Timeout = attemptTimeout(left, httpAttempt)
		return fromResult(probe.HTTP(ctx, s))
	})
}

func (r *Runner) runDNS(ctx context.Context, deadline time.Time, p *config.DNSProbe) Outcome {
	spec := probe.DNSSpec{Name: p.Name, Address: p.Address, Resolves: p.Resolves}
	if p.From == "" {
		return errorOutcome(withAttempts(expecting(spec.ExpectedText()), 1),
			errors.New("a dns check needs from = service.<name>: names are resolved inside the topology, not on the host"))
	}
	return r.settleInSidecar(ctx, deadline, p.From, spec.ExpectedText(), dnsAttempt, func(timeout time.Duration, ns []string) []string {
		s := spec
		s.Timeout, s.Nameservers = timeout, ns
		return s.Args()
	})
}

// settleInSidecar probes from the sidecar of service from until the probe
// passes or the deadline comes. args gives the probe's arguments for one
// attempt, from that attempt's timeout (at most limit) and the nameservers
// the sidecar resolves with.
func (r *Runner) settleInSidecar(ctx context.Context, deadline time.Time, from string, expected phrase.Text, limit time.Duration, args func(timeout time.Duration, nameservers []string) []string) Outcome {
	return r.settle(ctx, deadline, expected, func(ctx context.Context, left time.Duration) attempt {
		timeout := attemptTimeout(left, limit)
		return r.inSidecar(ctx, from, timeout, func(ns []string) []string { return args(timeout, ns) })
	})
}

func httpSpec(p *config.HTTPProbe) probe.HTTPSpec {
	return probe.HTTPSpec{
		URL: p.URL, Method: p.Method, Headers: p.Headers, Body: p.Body, Status: p.Status,
		BodyContains: p.BodyContains, BodyMatches: p.BodyMatches, Header: p.Header,
		JSONPath: p.JSONPath, JSONEquals: p.JSONEquals,
	}
}

func fromResult(res probe.Result) attempt {
	return attempt{met: res.OK, actual: res.Actual, text: res.Text, detail: res.Detail}
}

// ErrNotLocal is wrapped by the error for a host check aimed elsewhere than
// the host itself.
var ErrNotLocal = errors.New("not a local address")

// hostAddress decides where a check from the host may connect. Loopback
// addresses and "localhost" pass unchanged; "<service>:<port>" becomes the
// host address the service publishes that port on. Anything else is
// refused: proeftuin never sends traffic outside the lab.
func (r *Runner) hostAddress(ctx context.Context, hostPort string) (string, error) {
	host, portText, err := net.SplitHostPort(hostPort)
	if err != nil {
		return "", fmt.Errorf("address %q: %w", hostPort, err)
	}
	if isLoopback(host) {
		return hostPort, nil
	}
	if r.Env == nil || r.Env.Service(host) == nil {
		return "", fmt.Errorf("refusing to connect to %s from the host (%w): checks from the host only reach 127.0.0.1, localhost or a service's published port; to probe inside the topology, add from = service.<name>", host, ErrNotLocal)
	}
	port, err := strconv.Atoi(portText)
	if err != nil {
		return "", fmt.Errorf("address %q: port %q is not a number", hostPort, portText)
	}
	c, err := r.runningContainer(ctx, host)
	if err != nil {
		return "", err
	}
	d, err := r.Engine.InspectContainer(ctx, c.ID)
	if err != nil {
		return "", transient(fmt.Errorf("inspect service %s: %w", host, err))
	}
	for _, pp := range d.Ports {
		if pp.ContainerPort != port || (pp.Protocol != "" && pp.Protocol != "tcp") || pp.HostPort == 0 {
			continue
		}
		ip := pp.HostIP
		if a, err := netip.ParseAddr(ip); err != nil || a.IsUnspecified() {
			if err == nil && a.Is6() {
				ip = "::1"
			} else {
				ip = "127.0.0.1"
			}
		}
		return net.JoinHostPort(ip, strconv.Itoa(pp.HostPort)), nil
	}
	return "", fmt.Errorf("service %s does not publish port %d on the host; publish it with a port block or probe it with from = service.<name>", host, port)
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}

func hasHeader(h map[string]string, name string) bool {
	for k := range h {
		if strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}

func withHeader(h map[string]string, k, v string) map[string]string {
	out := make(map[string]string, len(h)+1)
	for hk, hv := range h {
		out[hk] = hv
	}
	out[k] = v
	return out
}
