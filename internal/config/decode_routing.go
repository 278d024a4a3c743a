package config

import (
	"fmt"
	"net"
	"net/netip"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Route is a static route a service gets at start (see Service.Routes):
// set by a helper sidecar through netlink, so the service needs neither
// NET_ADMIN nor the ip tool.
type Route struct {
	To        string // a CIDR prefix; "0.0.0.0/0" for default
	Via       string // the next hop, on one of the service's networks
	DeclRange hcl.Range
}

var routeSchema = &hcl.BodySchema{Attributes: required("to", "via")}

// NeedsNetSetup reports whether the service needs the network helper at
// start: an interface name, a MAC address, no default route or static
// routes. When it runs, every interface is named: its interface
// attribute, or eth<N> for the N-th network block (from 0).
func (s *Service) NeedsNetSetup() bool {
	if s.NetworkMode != "" {
		return false
	}
	if s.NoDefaultRoute || len(s.Routes) > 0 {
		return true
	}
	for _, sn := range s.Networks {
		if sn.MACAddress != "" || sn.Interface != "" || sn.PointToPoint {
			return true
		}
	}
	return false
}

// InterfaceName is the name the network helper gives the i-th attachment.
func (s *Service) InterfaceName(i int) string {
	if n := s.Networks[i].Interface; n != "" {
		return n
	}
	return fmt.Sprintf("eth%d", i)
}

// checkInterfaceNames reports two attachments of a service that would get
// the same interface name.
func (l *loader) checkInterfaceNames(s *Service) {
	if !s.NeedsNetSetup() {
		return
	}
	seen := map[string]int{}
	for i, sn := range s.Networks {
		name := s.InterfaceName(i)
		if j, dup := seen[name]; dup {
			l.diags = append(l.diags, errorAt(rangePtr(sn.DeclRange), "Duplicate interface name",
				"Network %q of service %q would get interface %s, which network %q has already; give each network block its own interface name.", sn.Network, s.Name, name, s.Networks[j].Network))
			continue
		}
		seen[name] = i
	}
}

// interfaceName reads a service network's interface attribute.
func (l *loader) interfaceName(attr *hcl.Attribute) string {
	text := l.str(attr, "")
	if text == "" || text == knownAfterUp {
		return text
	}
	if len(text) > 15 || text == "." || text == ".." || strings.ContainsAny(text, "/: \t\n") || text == "lo" {
		l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid interface name",
			"%q cannot name a Linux interface; use 1 to 15 letters, digits, '-' or '_', like \"eth1\" (not lo).", text))
		return ""
	}
	return text
}

// decodeRouting reads default_route and the route blocks of a service
// whose networks are decoded already.
func (l *loader) decodeRouting(s *Service, a hcl.Attributes, blocks hcl.Blocks) {
	s.NoDefaultRoute = !l.boolean(a["default_route"], true)
	defer l.checkInterfaceNames(s)
	for _, blk := range blocks {
		if blk.Type == "route" {
			if r := l.decodeRouteBlock(s, blk); r != nil {
				s.Routes = append(s.Routes, r)
			}
		}
	}
	if s.NetworkMode == "" {
		if attr := a["restart"]; attr != nil && s.Restart != "no" && s.NeedsNetSetup() {
			l.diags = append(l.diags, warningAt(attr.Expr.Range().Ptr(), "Restart loses the network setup",
				"Service %q has routes, interface names, a MAC address or a point-to-point link, which proeftuin sets when up starts it; a container the engine restarts (restart = %q) comes back without them until the next up re-applies them. Remove restart, or run up after a restart.", s.Name, s.Restart))
		}
		return
	}
	if attr := a["default_route"]; attr != nil {
		l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Routing with a network mode",
			"Service %q sets network_mode, so it has no network namespace of its own to route in; remove default_route or network_mode.", s.Name))
	}
	if len(s.Routes) > 0 {
		l.diags = append(l.diags, errorAt(rangePtr(s.Routes[0].DeclRange), "Routing with a network mode",
			"Service %q sets network_mode, so it has no network namespace of its own to route in; remove the route blocks or network_mode.", s.Name))
	}
}

func (l *loader) decodeRouteBlock(s *Service, b *hcl.Block) *Route {
	content, diags := b.Body.Content(routeSchema)
	l.diags = append(l.diags, diags...)
	if diags.HasErrors() {
		return nil
	}
	a := content.Attributes
	r := &Route{To: l.str(a["to"], ""), Via: l.str(a["via"], ""), DeclRange: b.DefRange}
	if r.To == "default" {
		r.To = "0.0.0.0/0"
	}
	if r.To != knownAfterUp && r.To != "" {
		p, err := netip.ParsePrefix(r.To)
		switch {
		case err != nil || !p.Addr().Is4():
			l.diags = append(l.diags, errorAt(a["to"].Expr.Range().Ptr(), "Invalid route destination",
				"%q is not an IPv4 prefix; write one like \"10.0.2.0/24\", or \"default\".", r.To))
			return nil
		case p != p.Masked():
			l.diags = append(l.diags, errorAt(a["to"].Expr.Range().Ptr(), "Invalid route destination",
				"The prefix %q has host bits set; write the network address %q instead.", r.To, p.Masked().String()))
			return nil
		}
		r.To = p.String()
	}
	if r.Via == knownAfterUp || r.Via == "" {
		return r
	}
	via, err := netip.ParseAddr(r.Via)
	if err != nil || !via.Is4() {
		l.diags = append(l.diags, errorAt(a["via"].Expr.Range().Ptr(), "Invalid next hop",
			"%q is not an IPv4 address; write the address of a router on one of the networks of service %q.", r.Via, s.Name))
		return nil
	}
	r.Via = via.String()
	if !l.onAttachedSubnet(s, via) {
		l.diags = append(l.diags, errorAt(a["via"].Expr.Range().Ptr(), "Next hop not on a network of the service",
			"%s is in none of the subnets that service %q is attached to, so the kernel cannot reach it; use the address of a router on one of its networks.", via, s.Name))
		return nil
	}
	return r
}

// onAttachedSubnet reports whether addr is inside a subnet of one of the
// service's networks; true when a subnet is not known yet (auto, or the
// engine chooses), since then it cannot be checked here.
func (l *loader) onAttachedSubnet(s *Service, addr netip.Addr) bool {
	for _, sn := range s.Networks {
		p, ok := l.netPrefix[sn.Network]
		if !ok || p.Contains(addr) {
			return true
		}
	}
	return false
}

// macAddress reads a service network's mac_address: a unicast Ethernet
// address.
func (l *loader) macAddress(attr *hcl.Attribute) string {
	text := l.str(attr, "")
	if text == "" || text == knownAfterUp {
		return text
	}
	mac, err := net.ParseMAC(text)
	if err != nil || len(mac) != 6 || mac[0]&1 == 1 {
		l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid MAC address",
			"%q is not a unicast Ethernet address; write one like \"02:42:ac:10:00:0a\" (an even first byte; 02 marks a locally administered address).", text))
		return ""
	}
	return mac.String()
}
