// Package status reports what an instance consists of on the engine:
// every service's container, state, health, published ports and network
// addresses, compared with the environment when one is given (drift).
package status

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/planner"
)

// Drift values of Service.Drift.
const (
	Missing     = "missing"      // declared, no container
	NotDeclared = "not declared" // a labelled container the environment does not declare
	Stopped     = "stopped"      // declared, the container exists but does not run
	// a declared network the container is not attached to (disconnected
	// by hand) shows as "network <name> disconnected"
)

// Report is the state of one instance.
type Report struct {
	Instance    string    `json:"instance"`
	Environment string    `json:"environment,omitempty"` // "" when no definition was loaded
	Services    []Service `json:"services"`
	Networks    []Network `json:"networks"`
	Volumes     []string  `json:"volumes"`
	// Links are the point-to-point links, which are no engine networks:
	// RecordedAtUp, from the services' network setup.
	Links    []Link `json:"links"`
	Declared bool   `json:"declared"` // whether drift information is present
}

// Service is one service's container.
type Service struct {
	Name      string     `json:"name"`
	Container string     `json:"container,omitempty"`
	ID        string     `json:"id,omitempty"`
	Image     string     `json:"image,omitempty"`
	State     string     `json:"state"` // engine state, or "missing"
	Health    string     `json:"health,omitempty"`
	Ports     []Port     `json:"ports"`
	Networks  []Endpoint `json:"networks"` // engine networks only
	// NetworkSetup is what up set through the network helper (interface
	// names, MACs, link ends, routes); nil when it set nothing.
	NetworkSetup *NetworkSetup `json:"network_setup,omitempty"`
	Drift        string        `json:"drift,omitempty"`
}

// Port is a published port.
type Port struct {
	HostIP        string `json:"host_ip"`
	HostPort      int    `json:"host_port"`
	ContainerPort int    `json:"container_port"`
	Protocol      string `json:"protocol"`
}

func (p Port) String() string {
	return fmt.Sprintf("%s:%d->%d/%s", p.HostIP, p.HostPort, p.ContainerPort, p.Protocol)
}

// Endpoint is an address on a network; Network is the declared name when
// the network belongs to the instance, else the engine's name.
type Endpoint struct {
	Network string `json:"network"`
	Address string `json:"address,omitempty"`
}

// Network is one of the instance's networks.
type Network struct {
	Name     string   `json:"name"`   // declared name
	Engine   string   `json:"engine"` // engine name
	Internal bool     `json:"internal"`
	Subnets  []string `json:"subnets"`
	Drift    string   `json:"drift,omitempty"`
}

// Gather reads the instance's state. env may be nil: then nothing is
// known about what should exist and no drift is reported.
func Gather(ctx context.Context, eng engine.Engine, instance string, env *config.Environment) (*Report, error) {
	match := engine.Instance(instance)
	r := &Report{Instance: instance, Services: []Service{}, Networks: []Network{}, Volumes: []string{}, Declared: env != nil}
	if env != nil {
		r.Environment = env.Name
	}

	nets, err := eng.Networks(ctx, match)
	if err != nil {
		return nil, fmt.Errorf("list networks: %w", err)
	}
	declaredNet := map[string]string{} // engine name -> declared name
	seenNet := map[string]bool{}
	for _, n := range nets {
		name := n.Labels[engine.LabelNetwork]
		if name == "" {
			name = n.Name
		}
		declaredNet[n.Name] = name
		seenNet[name] = true
		nw := Network{Name: name, Engine: n.Name, Internal: n.Internal, Subnets: append([]string{}, n.Subnets...)}
		if env != nil && env.Network(name) == nil {
			nw.Drift = NotDeclared
		}
		r.Networks = append(r.Networks, nw)
	}
	if env != nil {
		for _, n := range env.Networks {
			if !seenNet[n.Name] && !n.PointToPoint {
				r.Networks = append(r.Networks, Network{Name: n.Name, Internal: n.Internal, Subnets: []string{}, Drift: Missing})
			}
		}
	}

	vols, err := eng.Volumes(ctx, match)
	if err != nil {
		return nil, fmt.Errorf("list volumes: %w", err)
	}
	for _, v := range vols {
		r.Volumes = append(r.Volumes, v.Name)
	}
	sort.Strings(r.Volumes)

	ctrs, err := eng.Containers(ctx, match)
	if err != nil {
		return nil, fmt.Errorf("list containers: %w", err)
	}
	var rec planner.NetRecord
	if env != nil {
		rec = planner.ReadNetRecord(env.Dir, instance)
	}
	seen := map[string]bool{}
	for _, c := range ctrs {
		name := c.Labels[engine.LabelService]
		if name == "" {
			name = c.Name
		}
		seen[name] = true
		s := Service{Name: name, Container: c.Name, ID: c.ID, Image: c.Image, State: c.State.String(), Health: c.Health.String(), Ports: []Port{}, Networks: []Endpoint{},
			NetworkSetup: networkSetup(c, env)}
		d, err := eng.InspectContainer(ctx, c.ID)
		inspected := err == nil
		if inspected {
			s.State, s.Health = d.State.String(), d.Health.String()
			for _, p := range d.Ports {
				s.Ports = append(s.Ports, Port{HostIP: p.HostIP, HostPort: p.HostPort, ContainerPort: p.ContainerPort, Protocol: p.Protocol})
			}
			for netName, ep := range d.Endpoints {
				if dn, ok := declaredNet[netName]; ok {
					netName = dn
				}
				s.Networks = append(s.Networks, Endpoint{Network: netName, Address: ep.IPv4Address})
			}
		}
		sort.Slice(s.Ports, func(i, j int) bool { return s.Ports[i].ContainerPort < s.Ports[j].ContainerPort })
		sort.Slice(s.Networks, func(i, j int) bool { return s.Networks[i].Network < s.Networks[j].Network })
		if env != nil {
			if svc := env.Service(name); svc == nil {
				s.Drift = NotDeclared
			} else {
				s.Drift = serviceDrift(svc, s, inspected)
				if inspected && env.Dir != "" && svc.NeedsNetSetup() && d.State == engine.StateRunning && !d.StartedAt.IsZero() {
					// What up set in the namespace is gone after a restart;
					// the next up sets it again (apply.markLost).
					if cause := rec.Lost(name, c.ID, d.StartedAt); cause != "" {
						s.Drift = strings.Join(slices.DeleteFunc([]string{s.Drift, cause}, func(x string) bool { return x == "" }), "; ")
					}
				}
			}
		}
		r.Services = append(r.Services, s)
	}
	if env != nil {
		for _, svc := range env.Services {
			if !seen[svc.Name] {
				r.Services = append(r.Services, Service{Name: svc.Name, State: Missing, Drift: Missing, Ports: []Port{}, Networks: []Endpoint{}})
			}
		}
	}
	order := map[string]int{}
	if env != nil {
		for i, s := range env.Services {
			order[s.Name] = i + 1
		}
	}
	sort.SliceStable(r.Services, func(i, j int) bool {
		a, b := r.Services[i], r.Services[j]
		oa, ob := order[a.Name], order[b.Name]
		if oa == 0 {
			oa = 1 << 30
		}
		if ob == 0 {
			ob = 1 << 30
		}
		if oa != ob {
			return oa < ob
		}
		return a.Name < b.Name
	})
	r.gatherLinks(env)
	return r, nil
}

// serviceDrift compares a declared service's container with its
// declaration: a container that does not run is "stopped"; a declared
// network it is not attached to is "network <name> disconnected" (only
// known when inspected is true). Several findings are joined with "; ".
func serviceDrift(svc *config.Service, s Service, inspected bool) string {
	var drift []string
	if !engine.ContainerState(s.State).Alive() {
		drift = append(drift, Stopped)
	}
	if inspected && svc.NetworkMode == "" {
		attached := map[string]bool{}
		for _, ep := range s.Networks {
			attached[ep.Network] = true
		}
		for _, n := range svc.Networks {
			if !attached[n.Network] && !n.PointToPoint { // a link is no engine attachment (Report.Links)
				drift = append(drift, "network "+n.Network+" disconnected")
			}
		}
	}
	return strings.Join(drift, "; ")
}

// Drifted reports whether anything is missing or undeclared.
func (r *Report) Drifted() bool {
	for _, s := range r.Services {
		if s.Drift != "" {
			return true
		}
	}
	for _, n := range r.Networks {
		if n.Drift != "" {
			return true
		}
	}
	for _, l := range r.Links {
		if l.Drift != "" {
			return true
		}
	}
	return false
}

// WriteText writes the report as a table.
func (r *Report) WriteText(w io.Writer) error {
	if len(r.Services) == 0 && len(r.Networks) == 0 && len(r.Volumes) == 0 && len(r.Links) == 0 {
		_, err := fmt.Fprintf(w, "instance %s: nothing exists on the engine\n", r.Instance)
		return err
	}
	title := "instance " + r.Instance
	if r.Environment != "" {
		title += " (environment " + r.Environment + ")"
	}
	fmt.Fprintln(w, title)
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SERVICE\tCONTAINER\tSTATE\tHEALTH\tPORTS\tNETWORKS")
	for _, s := range r.Services {
		state := s.State
		if s.Drift != "" && s.Drift != Missing {
			state += " (" + s.Drift + ")"
		}
		var ports, nets []string
		for _, p := range s.Ports {
			ports = append(ports, p.String())
		}
		for _, n := range s.Networks {
			if n.Address != "" {
				nets = append(nets, n.Network+" "+n.Address)
			} else {
				nets = append(nets, n.Network)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", s.Name, dash(s.Container), state, dash(s.Health), dash(strings.Join(ports, ", ")), dash(strings.Join(nets, ", ")))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.Networks) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NETWORK\tENGINE NAME\tSUBNET\tINTERNAL")
		for _, n := range r.Networks {
			name := n.Name
			if n.Drift != "" {
				name += " (" + n.Drift + ")"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", name, dash(n.Engine), dash(strings.Join(n.Subnets, ", ")), strconv.FormatBool(n.Internal))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if err := r.writeNetworkSetup(w); err != nil {
		return err
	}
	if len(r.Volumes) > 0 {
		fmt.Fprintf(w, "\nvolumes: %s\n", strings.Join(r.Volumes, ", "))
	}
	if !r.Declared {
		fmt.Fprintln(w, "\n(no environment definition loaded: drift is not shown)")
	}
	return nil
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
