package probe

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
)

// NetSetupSpec is what `probe netsetup` does in a service's network
// namespace, from a helper sidecar with NET_ADMIN, right after the
// service starts: interface names in declared order, MAC addresses, no
// default route through the bridge, static routes. The service needs
// neither NET_ADMIN nor the ip tool.
type NetSetupSpec struct {
	// Addresses are given first: the ends of point-to-point links that
	// another helper moved into this namespace.
	Addresses []AddressSpec
	// Links are the service's attachments in declared order: the link
	// holding Address is renamed to Name and, when MAC is set, gets it.
	Links []LinkSpec
	// NoDefaultRoute removes the default route the engine adds.
	NoDefaultRoute bool
	Routes         []RouteSpec
}

// AddressSpec is an address with its prefix length for the link Name.
type AddressSpec struct {
	Name    string
	Address netip.Prefix
}

// LinkSpec names the link that holds an address.
type LinkSpec struct {
	Address netip.Addr
	Name    string
	MAC     net.HardwareAddr // nil: keep the engine's
}

// RouteSpec is a static route: To is a prefix (0.0.0.0/0 for the
// default route), Via the next hop.
type RouteSpec struct {
	To  netip.Prefix
	Via netip.Addr
}

// parseLink reads ADDR=NAME[@MAC].
func parseLink(s string) (LinkSpec, error) {
	addr, rest, ok := strings.Cut(s, "=")
	if !ok {
		return LinkSpec{}, fmt.Errorf("--link %q: want ADDRESS=NAME[@MAC]", s)
	}
	var l LinkSpec
	var err error
	if l.Address, err = netip.ParseAddr(addr); err != nil {
		return LinkSpec{}, fmt.Errorf("--link %q: %v", s, err)
	}
	name, mac, hasMAC := strings.Cut(rest, "@")
	if name == "" || len(name) > 15 {
		return LinkSpec{}, fmt.Errorf("--link %q: an interface name has 1 to 15 characters", s)
	}
	l.Name = name
	if hasMAC {
		if l.MAC, err = net.ParseMAC(mac); err != nil {
			return LinkSpec{}, fmt.Errorf("--link %q: %v", s, err)
		}
	}
	return l, nil
}

// parseRoute reads TO,VIA.
func parseRoute(s string) (RouteSpec, error) {
	to, via, ok := strings.Cut(s, ",")
	if !ok {
		return RouteSpec{}, fmt.Errorf("--route %q: want PREFIX,NEXTHOP", s)
	}
	var r RouteSpec
	var err error
	if r.To, err = netip.ParsePrefix(to); err != nil {
		return RouteSpec{}, fmt.Errorf("--route %q: %v", s, err)
	}
	if r.Via, err = netip.ParseAddr(via); err != nil {
		return RouteSpec{}, fmt.Errorf("--route %q: %v", s, err)
	}
	return r, nil
}

// netSetup runs `proeftuin probe netsetup`.
func netSetup(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("probe netsetup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var links, routes, addrs listFlag
	var s NetSetupSpec
	fs.Var(&addrs, "address", "")
	fs.Var(&links, "link", "")
	fs.Var(&routes, "route", "")
	fs.BoolVar(&s.NoDefaultRoute, "no-default-route", false, "")
	if fs.Parse(args) != nil {
		return ExitInvalid
	}
	for _, text := range addrs {
		name, cidr, _ := strings.Cut(text, "=")
		p, err := netip.ParsePrefix(cidr)
		if err != nil || name == "" {
			fmt.Fprintf(stderr, "proeftuin probe netsetup: --address %q: want NAME=ADDRESS/BITS\n", text)
			return ExitInvalid
		}
		s.Addresses = append(s.Addresses, AddressSpec{Name: name, Address: p})
	}
	for _, text := range links {
		l, err := parseLink(text)
		if err != nil {
			fmt.Fprintln(stderr, "proeftuin probe netsetup:", err)
			return ExitInvalid
		}
		s.Links = append(s.Links, l)
	}
	for _, text := range routes {
		r, err := parseRoute(text)
		if err != nil {
			fmt.Fprintln(stderr, "proeftuin probe netsetup:", err)
			return ExitInvalid
		}
		s.Routes = append(s.Routes, r)
	}
	if err := applyNetSetup(s); err != nil {
		fmt.Fprintln(stderr, "proeftuin probe netsetup:", err)
		return ExitFailed
	}
	fmt.Fprintln(stdout, "netsetup applied")
	return ExitOK
}
