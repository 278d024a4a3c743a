// Package conflict names who holds what a lab needs from the engine: a
// literal subnet that overlaps another network, a host port another
// container publishes, a name another object has. `doctor` lists these
// before `up`; the instance facade uses them to explain the engine's
// refusal when `up` runs into one.
package conflict

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/planner"
)

// Kind is what is held.
type Kind int

const (
	Subnet Kind = iota + 1
	Port
	Name
)

func (k Kind) String() string {
	switch k {
	case Subnet:
		return "subnet"
	case Port:
		return "port"
	case Name:
		return "name"
	}
	return "unknown"
}

// Holder is the engine object that holds it, and its proeftuin instance
// and lab when it has those labels.
type Holder struct {
	Instance string // "" when not made by proeftuin
	Lab      string
	Object   string // "network x" or "container y"
}

func (h Holder) String() string {
	switch {
	case h.Instance != "" && h.Lab != "":
		return fmt.Sprintf("instance %s (lab %s)", h.Instance, h.Lab)
	case h.Instance != "":
		return "instance " + h.Instance
	}
	return h.Object + ", which proeftuin did not make"
}

// Conflict is one thing the lab needs that another object holds.
type Conflict struct {
	Kind   Kind
	What   string // "network 10.20.0.0/24", "port 127.0.0.1:8080/tcp", "container name p1-web"
	Holder Holder
	// Decl is where the lab declares what is held ("lab.hcl:12"), so
	// the advice to change it says where; "" when unknown.
	Decl string
}

func (c Conflict) String() string {
	s := fmt.Sprintf("%s is held by %s; %s", c.What, c.Holder, c.advice())
	if c.Decl != "" {
		s += " (" + c.Decl + ")"
	}
	return s
}

// declAt is "file:line" of r, or "" when r has no file.
func declAt(r hcl.Range) string {
	if r.Filename == "" {
		return ""
	}
	return fmt.Sprintf("%s:%d", r.Filename, r.Start.Line)
}

func (c Conflict) advice() string {
	takeDown := "remove it"
	if c.Holder.Instance != "" {
		takeDown = "take it down (proeftuin --name " + c.Holder.Instance + " down)"
	}
	switch c.Kind {
	case Subnet:
		return takeDown + ` or give this lab subnet = "auto"`
	case Port:
		return takeDown + " or publish another host port"
	}
	return takeDown + " or use another instance name (--name)"
}

// Error is an engine refusal with the conflicts that explain it. It
// wraps the engine's error, so errors.Is finds engine.ErrSubnetTaken and
// the like.
type Error struct {
	Conflicts []Conflict
	Err       error
}

func (e *Error) Error() string {
	if len(e.Conflicts) == 0 {
		return e.Err.Error()
	}
	lines := make([]string, len(e.Conflicts))
	for i, c := range e.Conflicts {
		lines[i] = c.String()
	}
	return strings.Join(lines, "\n")
}

func (e *Error) Unwrap() error { return e.Err }

// IsRefusal reports whether err is the engine refusing what a lab needs
// because something else holds it.
func IsRefusal(err error) bool {
	return errors.Is(err, engine.ErrSubnetTaken) || errors.Is(err, engine.ErrPortTaken) || errors.Is(err, engine.ErrNameConflict)
}

// Explain wraps a refusal (see IsRefusal) in an *Error that names the
// holders of what env needs on eng for instance; the conflicts of the
// refusal's kind come first. Other errors come back as they are.
func Explain(ctx context.Context, eng engine.Engine, instance string, env *config.Environment, err error) error {
	if !IsRefusal(err) || env == nil {
		return err
	}
	found, ferr := Find(context.WithoutCancel(ctx), eng, instance, env)
	if ferr != nil {
		return &Error{Err: err}
	}
	want := Name
	switch {
	case errors.Is(err, engine.ErrSubnetTaken):
		want = Subnet
	case errors.Is(err, engine.ErrPortTaken):
		want = Port
	}
	var out []Conflict
	for _, c := range found {
		if c.Kind == want {
			out = append(out, c)
		}
	}
	return &Error{Conflicts: out, Err: err}
}

// Find lists what env needs on eng for instance and another object
// holds: its literal subnets, its fixed host ports, the names of its
// networks and containers.
func Find(ctx context.Context, eng engine.Engine, instance string, env *config.Environment) ([]Conflict, error) {
	nets, err := eng.Networks(ctx, nil)
	if err != nil {
		return nil, err
	}
	out := subnets(env, instance, nets)
	ctrs, err := eng.Containers(ctx, nil)
	if err != nil {
		return nil, err
	}
	ports, err := ports(ctx, eng, env, instance, ctrs)
	if err != nil {
		return nil, err
	}
	out = append(out, ports...)
	vols, err := eng.Volumes(ctx, nil)
	if err != nil {
		return nil, err
	}
	return append(out, names(env, instance, nets, ctrs, vols)...), nil
}

func holderOf(labels map[string]string, object string) Holder {
	return Holder{Instance: labels[engine.LabelInstance], Lab: labels[engine.LabelEnv], Object: object}
}

// subnets: the literal subnets of env that overlap a network of another
// instance (or of none).
func subnets(env *config.Environment, instance string, nets []engine.Network) []Conflict {
	var out []Conflict
	for _, n := range env.Networks {
		want, err := netip.ParsePrefix(n.Subnet)
		if n.AutoSubnet || err != nil {
			continue
		}
		for _, have := range nets {
			if have.Labels[engine.LabelInstance] == instance && instance != "" {
				continue
			}
			for _, s := range have.Subnets {
				p, err := netip.ParsePrefix(s)
				if err == nil && p.Overlaps(want) {
					out = append(out, Conflict{Kind: Subnet, What: "network " + want.String(), Holder: holderOf(have.Labels, "network "+have.Name), Decl: declAt(n.DeclRange)})
				}
			}
		}
	}
	return out
}

// ports: the fixed host ports of env that a running container of another
// instance publishes.
func ports(ctx context.Context, eng engine.Engine, env *config.Environment, instance string, ctrs []engine.Container) ([]Conflict, error) {
	var fixed []*config.Port
	for _, s := range env.Services {
		for _, p := range s.Ports {
			if p.Host != 0 {
				fixed = append(fixed, p)
			}
		}
	}
	var out []Conflict
	for _, c := range ctrs {
		if len(fixed) == 0 || c.State != engine.StateRunning || c.Labels[engine.LabelInstance] == instance && instance != "" {
			continue
		}
		d, err := eng.InspectContainer(ctx, c.ID)
		if errors.Is(err, engine.ErrNotFound) {
			continue // removed meanwhile
		} else if err != nil {
			return nil, err
		}
		for _, p := range fixed {
			if published(d.Ports, p) {
				out = append(out, Conflict{Kind: Port, What: PortText(p), Holder: holderOf(c.Labels, "container "+c.Name), Decl: declAt(p.DeclRange)})
			}
		}
	}
	return out, nil
}

func published(have []engine.PublishedPort, p *config.Port) bool {
	for _, q := range have {
		if q.HostPort == p.Host && q.Protocol == protocol(p) {
			return true
		}
	}
	return false
}

func protocol(p *config.Port) string {
	if p.Protocol == "" {
		return "tcp"
	}
	return p.Protocol
}

// PortText is how a conflict names port p: "port 127.0.0.1:8080/tcp".
func PortText(p *config.Port) string {
	ip := p.HostIP
	if ip == "" {
		ip = "127.0.0.1"
	}
	return fmt.Sprintf("port %s/%s", net.JoinHostPort(ip, strconv.Itoa(p.Host)), protocol(p))
}

// names: engine names env's networks, services and volumes will have
// that an object of another instance (or of none) already has.
func names(env *config.Environment, instance string, nets []engine.Network, ctrs []engine.Container, vols []engine.Volume) []Conflict {
	var out []Conflict
	for _, n := range env.Networks {
		name := planner.EngineName(instance, n.Name)
		for _, have := range nets {
			if have.Name == name && have.Labels[engine.LabelInstance] != instance {
				out = append(out, Conflict{Kind: Name, What: "network name " + name, Holder: holderOf(have.Labels, "network "+have.Name)})
			}
		}
	}
	for _, s := range env.Services {
		name := planner.EngineName(instance, s.Name)
		for _, c := range ctrs {
			if c.Name == name && c.Labels[engine.LabelInstance] != instance {
				out = append(out, Conflict{Kind: Name, What: "container name " + name, Holder: holderOf(c.Labels, "container "+c.Name)})
			}
		}
	}
	for _, v := range env.Volumes {
		name := planner.EngineName(instance, v.Name)
		for _, have := range vols {
			if have.Name == name && have.Labels[engine.LabelInstance] != instance {
				out = append(out, Conflict{Kind: Name, What: "volume name " + name, Holder: holderOf(have.Labels, "volume "+have.Name)})
			}
		}
	}
	return out
}
