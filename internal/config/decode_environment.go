package config

import (
	"net/netip"

	"github.com/hashicorp/hcl/v2"
)

func (l *loader) decodeEnvironment(blocks []*hcl.Block) {
	if len(blocks) == 0 {
		return
	}
	b := blocks[0]
	content, diags := b.Body.Content(environmentSchema)
	l.diags = append(l.diags, diags...)
	l.env.Name = b.Labels[0]
	l.env.DeclRange = b.DefRange
	l.env.Title = l.str(content.Attributes["title"], "")
	l.env.Description = l.str(content.Attributes["description"], "")
	l.env.Version = l.str(content.Attributes["version"], "")
}

var priorities = []string{string(Must), string(Should), string(Could), string(Wont)}

func (l *loader) decodeRequirementBlock(b *hcl.Block) *Requirement {
	content, diags := b.Body.Content(requirementSchema)
	l.diags = append(l.diags, diags...)
	a := content.Attributes
	return &Requirement{
		ID:          b.Labels[0],
		Title:       l.str(a["title"], ""),
		Kind:        l.enum(a["kind"], "functional", RequirementKinds),
		Priority:    Priority(l.enum(a["priority"], "", priorities)),
		Source:      l.str(a["source"], ""),
		Description: l.str(a["description"], ""),
		DeclRange:   b.DefRange,
	}
}

// decodeNetworkBlock runs in the network phase: only variables and
// functions are in scope.
func (l *loader) decodeNetworkBlock(b *hcl.Block) *Network {
	content, diags := b.Body.Content(networkSchema)
	l.diags = append(l.diags, diags...)
	a := content.Attributes
	n := &Network{Name: b.Labels[0], DeclRange: b.DefRange}
	n.Internal = l.boolean(a["internal"], false)
	if attr := a["subnet"]; attr != nil {
		s := l.str(attr, "")
		switch s {
		case "", knownAfterUp:
		case "auto":
			n.AutoSubnet = true
			if alloc, ok := l.opts.Subnets[n.Name]; ok {
				p, err := netip.ParsePrefix(alloc)
				if err != nil || p != p.Masked() {
					l.diags = append(l.diags, errorAt(nil, "Invalid allocated subnet",
						"The subnet %q allocated for network %q is not a CIDR network address like \"172.30.0.0/24\"; this is a bug in the caller of the loader.", alloc, n.Name))
				} else {
					n.Subnet = p.String()
					l.netPrefix[n.Name] = p
				}
			}
		default:
			p, err := netip.ParsePrefix(s)
			switch {
			case err != nil:
				l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid subnet",
					"%q is not a CIDR subnet; write one like \"172.30.0.0/24\", or \"auto\" to get a free /24 for every instance.", s))
			case p != p.Masked():
				l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid subnet",
					"The subnet %q has host bits set; write the network address %q instead.", s, p.Masked().String()))
			default:
				n.Subnet = p.String()
				l.netPrefix[n.Name] = p
				l.subnetRanges = append(l.subnetRanges, subnetUse{network: n.Name, prefix: p, rng: attr.Expr.Range()})
			}
		}
	}
	if attr := a["gateway"]; attr != nil {
		n.Gateway = l.str(attr, "")
		if n.Gateway != "" && n.Gateway != knownAfterUp {
			gw, err := netip.ParseAddr(n.Gateway)
			p, hasPrefix := l.netPrefix[n.Name]
			switch {
			case err != nil:
				l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid gateway",
					"%q is not an IP address; write one like \"172.30.0.1\".", n.Gateway))
			case n.Subnet == "" && !n.AutoSubnet:
				l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Gateway without subnet",
					"A gateway can only be set on a network with a subnet; add subnet = \"...\" to network %q or remove the gateway.", n.Name))
			case n.AutoSubnet:
				l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Gateway on an auto subnet",
					"The subnet of network %q is chosen per instance, so a fixed gateway cannot fit it; remove the gateway or give the network a literal subnet.", n.Name))
			case hasPrefix && !p.Contains(gw):
				l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Gateway outside subnet",
					"The gateway %s is not inside the subnet %s of network %q; choose an address inside it.", gw, p, n.Name))
			case hasPrefix && (gw == p.Addr() || p.Addr().Is4() && p.Bits() < 31 && gw == lastAddr(p)):
				l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Gateway not usable",
					"%s is the network or broadcast address of %s, which the engine refuses as a gateway (\"Address already in use\"); choose a host address, like cidrhost(\"%s\", 1).", gw, p, p))
			}
		}
	}
	l.decodePointToPoint(n, a)
	l.decodeSubnet6(n, a)
	return n
}
