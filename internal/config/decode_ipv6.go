package config

import (
	"net/netip"

	"github.com/hashicorp/hcl/v2"
)

// decodeSubnet6 reads a network's subnet6: a literal IPv6 prefix that
// turns on IPv6 on the engine's bridge. The engine takes the first host
// address for the gateway, as for IPv4.
func (l *loader) decodeSubnet6(n *Network, a hcl.Attributes) {
	attr := a["subnet6"]
	text := l.str(attr, "")
	if text == "" || text == knownAfterUp {
		return
	}
	rng := attr.Expr.Range()
	p, err := netip.ParsePrefix(text)
	switch {
	case err != nil || !p.Addr().Is6() || p.Addr().Is4In6():
		l.diags = append(l.diags, errorAt(&rng, "Invalid IPv6 subnet",
			"%q is not an IPv6 CIDR subnet; write one like \"fd00:16::/64\" (a unique local prefix).", text))
	case p != p.Masked():
		l.diags = append(l.diags, errorAt(&rng, "Invalid IPv6 subnet",
			"The subnet %q has host bits set; write the network address %q instead.", text, p.Masked().String()))
	case p.Bits() > 126:
		l.diags = append(l.diags, errorAt(&rng, "Subnet too small",
			"The IPv6 subnet %s leaves no address once the engine has taken the gateway; use a /64.", p))
	case n.PointToPoint:
		l.diags = append(l.diags, errorAt(&rng, "IPv6 on a point-to-point link",
			"Point-to-point links are IPv4 only for now; remove subnet6 from network %q.", n.Name))
	default:
		n.Subnet6 = p.String()
		l.netPrefix6[n.Name] = p
		l.subnetRanges = append(l.subnetRanges, subnetUse{network: n.Name, prefix: p, rng: rng})
	}
}

// decodeIPv6Address reads a service network's ipv6_address.
func (l *loader) decodeIPv6Address(s *Service, sn *ServiceNetwork, attr *hcl.Attribute) {
	text := l.str(attr, "")
	if text == "" || text == knownAfterUp {
		return
	}
	rng := attr.Expr.Range()
	addr, err := netip.ParseAddr(text)
	if err != nil || !addr.Is6() || addr.Is4In6() {
		l.diags = append(l.diags, errorAt(&rng, "Invalid IPv6 address",
			"%q is not an IPv6 address; write one like \"fd00:16::10\", or compute it with cidrhost(network.%s.subnet6, 16).", text, sn.Network))
		return
	}
	p, ok := l.netPrefix6[sn.Network]
	switch {
	case !ok:
		l.diags = append(l.diags, errorAt(&rng, "IPv6 address without IPv6 subnet",
			"Network %q has no subnet6, so it has no IPv6; add subnet6 = \"fd00:...::/64\" to the network, or remove ipv6_address.", sn.Network))
	case !p.Contains(addr):
		l.diags = append(l.diags, errorAt(&rng, "Address outside subnet",
			"The address %s is not inside the subnet %s of network %q; choose an address inside it.", addr, p, sn.Network))
	case addr == p.Addr():
		l.diags = append(l.diags, errorAt(&rng, "Address not usable",
			"%s is the network address of %s; choose a host address, like cidrhost(network.%s.subnet6, 16).", addr, p, sn.Network))
	case addr == implicitGateway(p):
		l.diags = append(l.diags, errorAt(&rng, "Address is the gateway",
			"%s is the first host address of %s, which the engine gives the gateway of network %q; choose another address.", addr, p, sn.Network))
	default:
		sn.IPv6Address = addr.String()
		l.ipRanges = append(l.ipRanges, ipUse{network: sn.Network, addr: addr.String(), service: s.Name, rng: rng})
	}
}
