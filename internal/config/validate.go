package config

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// validate runs the checks that need more than one block: unique host
// ports and addresses, dependency cycles, requirements without checks,
// plans without steps. Checks of a single value happen while decoding it.
func (l *loader) validate(tb *topBlocks) {
	l.checkHostPorts()
	l.checkAddresses()
	l.checkSubnetOverlaps()
	l.checkSubnetRoom()
	l.checkLinks()
	l.checkCycles()
	l.checkCoverage()
	l.checkPlan(tb)
}

// checkHostPorts reports a host port published twice: the second container
// would fail to start. 0.0.0.0 overlaps every address.
func (l *loader) checkHostPorts() {
	for i, p := range l.portUses {
		for _, q := range l.portUses[:i] {
			if p.host != q.host || p.protocol != q.protocol || !sameHostIP(p.hostIP, q.hostIP) {
				continue
			}
			l.diags = append(l.diags, errorAt(rangePtr(p.rng), "Duplicate host port",
				"Host port %d/%s on %s is already published by service %q at %s; choose another host port, or 0 to let the engine pick a free one.",
				p.host, p.protocol, p.hostIP, q.service, at(q.rng)))
			break
		}
	}
}

func sameHostIP(a, b string) bool {
	wild := func(s string) bool { return s == "0.0.0.0" || s == "::" || s == "" }
	return a == b || wild(a) || wild(b)
}

func (l *loader) checkAddresses() {
	seen := map[string]ipUse{}
	for _, u := range l.ipRanges {
		key := u.network + "\x00" + u.addr
		if first, dup := seen[key]; dup {
			l.diags = append(l.diags, errorAt(rangePtr(u.rng), "Duplicate address",
				"The address %s on network %q is already given to service %q at %s; give every service its own address.",
				u.addr, u.network, first.service, at(first.rng)))
			continue
		}
		seen[key] = u
	}
}

// subnetUse is a literal subnet where it was written.
type subnetUse struct {
	network string
	prefix  netip.Prefix
	rng     hcl.Range
}

// checkSubnetOverlaps reports two networks of the lab whose literal
// subnets overlap: the engine refuses the second ("Pool overlaps with
// other one on this address space").
func (l *loader) checkSubnetOverlaps() {
	for i, u := range l.subnetRanges {
		for _, first := range l.subnetRanges[:i] {
			if !u.prefix.Overlaps(first.prefix) {
				continue
			}
			l.diags = append(l.diags, errorAt(rangePtr(u.rng), "Overlapping subnets",
				"The subnet %s of network %q overlaps the subnet %s of network %q at %s, and the engine refuses two networks with overlapping subnets; give each network its own range, or subnet = \"auto\".",
				u.prefix, u.network, first.prefix, first.network, at(first.rng)))
			break
		}
	}
}

// checkSubnetRoom reports a literal IPv4 subnet with fewer host addresses
// than services attach to it. The engine keeps the network address, the
// broadcast address and the gateway for itself; a /31 or /32 leaves
// nothing, and "No available addresses on this pool" is all it says.
func (l *loader) checkSubnetRoom() {
	for _, u := range l.subnetRanges {
		if !u.prefix.Addr().Is4() {
			continue
		}
		var users []string
		for _, s := range l.env.Services {
			for _, sn := range s.Networks {
				if sn.Network == u.network {
					users = append(users, s.Name)
				}
			}
		}
		hostBits := 32 - u.prefix.Bits()
		room := 0
		if hostBits >= 2 {
			room = min(1<<hostBits, 1<<20) - 3
		}
		if n := l.env.Network(u.network); n != nil && n.PointToPoint {
			continue // checkLinks counts the ends
		}
		if len(users) <= room && room > 0 {
			continue
		}
		addresses := fmt.Sprintf("%d addresses", room)
		if room == 1 {
			addresses = "1 address"
		}
		hint := "give the network a larger subnet, like a /29 or a /24"
		if len(users) == 2 && hostBits <= 2 {
			hint = "for a link between two services, add point_to_point = true to the network (no gateway takes an address), or give it a larger subnet, like a /29"
		}
		if len(users) <= room {
			// room is 0: the engine cannot even make the network.
			l.diags = append(l.diags, errorAt(rangePtr(u.rng), "Subnet too small",
				"The engine refuses a bridge network on %s (network %q): it has no host address left for the gateway (\"No available addresses on this pool\"); %s.", u.prefix, u.network, hint))
			continue
		}
		l.diags = append(l.diags, errorAt(rangePtr(u.rng), "Subnet too small",
			"The subnet %s of network %q has room for %s once the engine has taken the network, broadcast and gateway addresses, but %s attach to it (%s); %s.",
			u.prefix, u.network, addresses, plural(len(users), "service"), strings.Join(users, ", "), hint))
	}
}

// checkCoverage warns about a must-have requirement that no acceptance
// check verifies: the acceptance test could pass without testing it.
func (l *loader) checkCoverage() {
	verified := map[string]bool{}
	for _, c := range l.env.Checks {
		for _, id := range c.Verifies {
			verified[id] = true
		}
	}
	for _, r := range l.env.Requirements {
		if r.Priority == Must && !verified[r.ID] {
			l.diags = append(l.diags, warningAt(rangePtr(r.DeclRange), "Requirement not verified",
				"Requirement %q is a must, but no check verifies it; add a check with verifies = [requirement.%s].", r.ID, r.ID))
		}
	}
}

func (l *loader) checkPlan(tb *topBlocks) {
	switch {
	case l.env.Plan != nil && len(l.env.Steps) == 0:
		l.diags = append(l.diags, warningAt(rangePtr(l.env.Plan.DeclRange), "Empty plan",
			"Plan %q has no steps, so `run` has nothing to do; add step blocks.", l.env.Plan.Name))
	case l.env.Plan == nil && len(l.env.Steps) > 0 && len(tb.plans) == 0:
		s := l.env.Steps[0]
		l.diags = append(l.diags, warningAt(rangePtr(s.DeclRange), "Steps without a plan",
			"There are %s but no plan block; add plan \"name\" { title = \"...\" } so the report can name the plan.", plural(len(l.env.Steps), "step")))
	}
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
