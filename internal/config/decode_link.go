package config

import (
	"net/netip"

	"github.com/hashicorp/hcl/v2"
)

// decodePointToPoint reads a network's point_to_point attribute. Such a
// network is no engine network: the two services on it get a veth pair
// made by the network helper at up (docs/adr/0006), so no gateway takes
// an address and a /30 or /31 holds both ends.
func (l *loader) decodePointToPoint(n *Network, a hcl.Attributes) {
	attr := a["point_to_point"]
	n.PointToPoint = l.boolean(attr, false)
	if !n.PointToPoint {
		return
	}
	rng := attr.Expr.Range().Ptr()
	p, ok := l.netPrefix[n.Name]
	switch {
	case !ok || n.AutoSubnet || !p.Addr().Is4():
		l.diags = append(l.diags, errorAt(rng, "Point-to-point link without subnet",
			"A point-to-point link needs a literal IPv4 subnet, like subnet = \"10.0.12.0/30\" (or a /31); give network %q one.", n.Name))
	case n.Gateway != "":
		l.diags = append(l.diags, errorAt(rng, "Gateway on a point-to-point link",
			"A point-to-point link has no gateway, only its two ends; remove gateway from network %q.", n.Name))
	case n.Internal:
		l.diags = append(l.diags, errorAt(rng, "Internal point-to-point link",
			"A point-to-point link never reaches the outside world, so internal means nothing on it; remove internal from network %q.", n.Name))
	}
}

// usableOnLink reports whether addr may be an end of a point-to-point
// link on p: any address of a /31, the two host addresses of a /30.
func usableOnLink(p netip.Prefix, addr netip.Addr) bool {
	if p.Bits() >= 31 {
		return true
	}
	return addr != p.Addr() && addr != lastAddr(p)
}

// checkLinks reports a point-to-point link without exactly two services,
// each with an ipv4_address and no aliases.
func (l *loader) checkLinks() {
	for _, n := range l.env.Networks {
		if !n.PointToPoint {
			continue
		}
		var ends []string
		for _, s := range l.env.Services {
			for _, sn := range s.Networks {
				if sn.Network != n.Name {
					continue
				}
				ends = append(ends, s.Name)
				switch {
				case sn.IPv4Address == "" && !sn.IPv4Unknown:
					l.diags = append(l.diags, errorAt(rangePtr(sn.DeclRange), "Point-to-point end without address",
						"Service %q is an end of the point-to-point link %q, which has no engine to hand out addresses; give it ipv4_address.", s.Name, n.Name))
				case len(sn.Aliases) > 0:
					l.diags = append(l.diags, errorAt(rangePtr(sn.DeclRange), "Aliases on a point-to-point link",
						"The point-to-point link %q has no DNS of the engine, so aliases cannot be resolved on it; remove them.", n.Name))
				}
			}
		}
		if len(ends) != 2 {
			l.diags = append(l.diags, errorAt(rangePtr(n.DeclRange), "Point-to-point link needs two ends",
				"The point-to-point link %q joins exactly two services, but %d attach to it; use a network without point_to_point for more.", n.Name, len(ends)))
		}
	}
}
