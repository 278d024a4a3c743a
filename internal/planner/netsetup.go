package planner

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/proeftuin/proeftuin/internal/config"
)

// LabelNetSetup records on a container what the network helper sets at
// start (interface order, MACs, point-to-point addresses, default route,
// routes). It is hashed with the user's labels, so a changed route or
// link address recreates the service, and `status` reads it back
// (ParseNetSetup): the engine does not report what the helper set.
//
// The value is ";"-separated: "net=<network>=<interface>@<mac>" per
// network block in declared order, with "=<address>/<bits>" after it for
// the end of a point-to-point link; "no-default-route"; and
// "route=<to>,<via>" per route block.
const LabelNetSetup = "proeftuin.netsetup"

// netSetupLabel is the label's value; "" when the service needs no helper.
func netSetupLabel(env *config.Environment, s *config.Service) string {
	if !s.NeedsNetSetup() {
		return ""
	}
	var parts []string
	for i, sn := range s.Networks {
		part := "net=" + sn.Network + "=" + s.InterfaceName(i) + "@" + sn.MACAddress
		if n := env.Network(sn.Network); sn.PointToPoint && n != nil {
			if p, err := netip.ParsePrefix(n.Subnet); err == nil {
				part += fmt.Sprintf("=%s/%d", sn.IPv4Address, p.Bits())
			}
		}
		parts = append(parts, part)
	}
	if s.NoDefaultRoute {
		parts = append(parts, "no-default-route")
	}
	for _, r := range s.Routes {
		parts = append(parts, "route="+r.To+","+r.Via)
	}
	return strings.Join(parts, ";")
}

// NetSetup is a LabelNetSetup value read back.
type NetSetup struct {
	Interfaces     []NetInterface
	NoDefaultRoute bool
	Routes         []config.Route // To and Via only
}

// NetInterface is one network block of a service as the helper sets it.
type NetInterface struct {
	Network    string
	Name       string // interface name
	MACAddress string // "" when the engine chose it
	// Address is "<address>/<bits>" on a point-to-point link, else "".
	Address string
}

// ParseNetSetup reads a LabelNetSetup value; ok is false for "" or a
// value it cannot read (a container labelled by hand).
func ParseNetSetup(label string) (ns NetSetup, ok bool) {
	if label == "" {
		return ns, false
	}
	for _, part := range strings.Split(label, ";") {
		key, val, _ := strings.Cut(part, "=")
		switch key {
		case "net":
			f := strings.SplitN(val, "=", 3)
			if len(f) < 2 {
				return NetSetup{}, false
			}
			name, mac, _ := strings.Cut(f[1], "@")
			ni := NetInterface{Network: f[0], Name: name, MACAddress: mac}
			if len(f) == 3 {
				ni.Address = f[2]
			}
			ns.Interfaces = append(ns.Interfaces, ni)
		case "no-default-route":
			ns.NoDefaultRoute = true
		case "route":
			to, via, found := strings.Cut(val, ",")
			if !found {
				return NetSetup{}, false
			}
			ns.Routes = append(ns.Routes, config.Route{To: to, Via: via})
		default:
			return NetSetup{}, false
		}
	}
	return ns, true
}
