package planner

import (
	"strings"

	"github.com/proeftuin/proeftuin/internal/config"
)

// LabelNetSetup records on a container what the network helper sets at
// start (interface order, MACs, default route, routes). It is hashed with
// the user's labels, so a changed route recreates the service.
const LabelNetSetup = "proeftuin.netsetup"

// netSetupLabel is the label's value; "" when the service needs no helper.
func netSetupLabel(s *config.Service) string {
	if !s.NeedsNetSetup() {
		return ""
	}
	var parts []string
	for i, sn := range s.Networks {
		parts = append(parts, "net="+sn.Network+"="+s.InterfaceName(i)+"@"+sn.MACAddress)
	}
	if s.NoDefaultRoute {
		parts = append(parts, "no-default-route")
	}
	for _, r := range s.Routes {
		parts = append(parts, "route="+r.To+","+r.Via)
	}
	return strings.Join(parts, ";")
}
