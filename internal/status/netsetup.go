package status

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/planner"
)

// RecordedAtUp is the Source of what the engine cannot report: the
// point-to-point links, interface names and routes that up set through
// the network helper (docs/adr/0006). status reads them from the label up
// put on the container when it created it, not from the container's
// network namespace, so they are what up set, not a measurement: a
// container restarted without up has lost them until the next up
// re-applies them.
const RecordedAtUp = "recorded at up"

// NetworkSetup is what up set in a service's network namespace.
type NetworkSetup struct {
	Source     string      `json:"source"` // RecordedAtUp
	Interfaces []Interface `json:"interfaces"`
	// DefaultRoute: the engine's default route stays; false when up
	// removed it (default_route = false) or the service is on
	// point-to-point links only (no engine network, no default route).
	DefaultRoute bool    `json:"default_route"`
	Routes       []Route `json:"routes"`
}

// Interface is one network block of a service, in declared order.
type Interface struct {
	Network      string `json:"network"` // declared name
	Name         string `json:"name"`    // interface name in the container
	MACAddress   string `json:"mac_address,omitempty"`
	PointToPoint bool   `json:"point_to_point"`
	Address      string `json:"address,omitempty"` // "<address>/<bits>" of a point-to-point end
}

// Route is a static route up added.
type Route struct {
	To  string `json:"to"` // "0.0.0.0/0" for the default route
	Via string `json:"via"`
}

// Link is a point-to-point link: a veth pair, no engine network.
type Link struct {
	Name   string    `json:"name"`   // declared network name
	Source string    `json:"source"` // RecordedAtUp
	Ends   []LinkEnd `json:"ends"`
	Drift  string    `json:"drift,omitempty"`
}

// LinkEnd is one service's end of a link.
type LinkEnd struct {
	Service   string `json:"service"`
	Interface string `json:"interface"`
	Address   string `json:"address"` // "<address>/<bits>"
}

// networkSetup reads the netsetup label of a container; nil when up set
// nothing through the helper.
func networkSetup(c engine.Container, env *config.Environment) *NetworkSetup {
	ns, ok := planner.ParseNetSetup(c.Labels[planner.LabelNetSetup])
	if !ok {
		return nil
	}
	out := &NetworkSetup{Source: RecordedAtUp, Interfaces: []Interface{}, Routes: []Route{}}
	for _, i := range ns.Interfaces {
		p2p := i.Address != ""
		if env != nil {
			if n := env.Network(i.Network); n != nil && n.PointToPoint {
				p2p = true
			}
		}
		out.Interfaces = append(out.Interfaces, Interface{Network: i.Network, Name: i.Name, MACAddress: i.MACAddress, PointToPoint: p2p, Address: i.Address})
	}
	out.DefaultRoute = !ns.NoDefaultRoute && onBridge(out)
	for _, r := range ns.Routes {
		out.Routes = append(out.Routes, Route{To: r.To, Via: r.Via})
	}
	return out
}

// gatherLinks builds the point-to-point links from the services' network
// setup, with drift against env: a declared link with an end that has no
// container (or a container without that end) or does not run.
func (r *Report) gatherLinks(env *config.Environment) {
	byName := map[string]*Link{}
	alive := map[string]bool{}
	for _, s := range r.Services {
		alive[s.Name] = engine.ContainerState(s.State).Alive()
		if s.NetworkSetup == nil {
			continue
		}
		for _, i := range s.NetworkSetup.Interfaces {
			if !i.PointToPoint {
				continue
			}
			l := byName[i.Network]
			if l == nil {
				l = &Link{Name: i.Network, Source: RecordedAtUp, Ends: []LinkEnd{}}
				byName[i.Network] = l
			}
			l.Ends = append(l.Ends, LinkEnd{Service: s.Name, Interface: i.Name, Address: i.Address})
		}
	}
	if env != nil {
		for _, n := range env.Networks {
			if n.PointToPoint && byName[n.Name] == nil {
				byName[n.Name] = &Link{Name: n.Name, Source: RecordedAtUp, Ends: []LinkEnd{}}
			}
		}
	}
	r.Links = []Link{}
	for _, l := range byName {
		if env != nil {
			l.Drift = linkDrift(env, l, alive)
		}
		r.Links = append(r.Links, *l)
	}
	sort.Slice(r.Links, func(i, j int) bool { return r.Links[i].Name < r.Links[j].Name })
}

func linkDrift(env *config.Environment, l *Link, alive map[string]bool) string {
	if n := env.Network(l.Name); n == nil || !n.PointToPoint {
		return NotDeclared
	}
	if len(l.Ends) == 0 {
		return Missing
	}
	has := map[string]bool{}
	for _, e := range l.Ends {
		has[e.Service] = true
	}
	var drift []string
	for _, s := range env.Services {
		for _, sn := range s.Networks {
			switch {
			case sn.Network != l.Name:
			case !has[s.Name]:
				drift = append(drift, "end "+s.Name+" missing")
			case !alive[s.Name]:
				drift = append(drift, "end "+s.Name+" stopped")
			}
		}
	}
	return strings.Join(drift, "; ")
}

// writeNetworkSetup writes the links and every service's interfaces and
// routes as up set them, saying where they come from.
func (r *Report) writeNetworkSetup(w io.Writer) error {
	var setups []Service
	for _, s := range r.Services {
		if s.NetworkSetup != nil {
			setups = append(setups, s)
		}
	}
	if len(r.Links) == 0 && len(setups) == 0 {
		return nil
	}
	if len(r.Links) > 0 {
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "POINT-TO-POINT LINK\tENDS")
		for _, l := range r.Links {
			name := l.Name
			if l.Drift != "" {
				name += " (" + l.Drift + ")"
			}
			var ends []string
			for _, e := range l.Ends {
				ends = append(ends, e.Service+" "+e.Interface+" "+e.Address)
			}
			fmt.Fprintf(tw, "%s\t%s\n", name, dash(strings.Join(ends, " <-> ")))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(setups) > 0 {
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SERVICE\tINTERFACES\tDEFAULT ROUTE\tROUTES")
		for _, s := range setups {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Name, interfacesText(s.NetworkSetup), defaultRouteText(s.NetworkSetup), dash(routesText(s.NetworkSetup)))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w, "(links, interfaces and routes: recorded at up, read from the containers' labels, not from the containers; a container restarted without up has lost them until the next up)")
	return err
}

func interfacesText(ns *NetworkSetup) string {
	var parts []string
	for _, i := range ns.Interfaces {
		p := i.Name + " " + i.Network
		if i.MACAddress != "" {
			p += " " + i.MACAddress
		}
		parts = append(parts, p)
	}
	return dash(strings.Join(parts, ", "))
}

// onBridge reports whether the service is on an engine network.
func onBridge(ns *NetworkSetup) bool {
	for _, i := range ns.Interfaces {
		if !i.PointToPoint {
			return true
		}
	}
	return false
}

func defaultRouteText(ns *NetworkSetup) string {
	switch {
	case ns.DefaultRoute:
		return "engine's"
	case !onBridge(ns):
		return "none (links only)"
	}
	return "removed"
}

func routesText(ns *NetworkSetup) string {
	var parts []string
	for _, r := range ns.Routes {
		to := r.To
		if to == "0.0.0.0/0" {
			to = "default"
		}
		parts = append(parts, to+" via "+r.Via)
	}
	return strings.Join(parts, ", ")
}
