package planner

import (
	"slices"
	"sort"
	"strings"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// VolumeKeptCause is the cause of keeping a volume that is no longer
// declared.
const VolumeKeptCause = "no longer declared; kept with its data until 'down --volumes'"

// ProbeLeftCause is the cause of removing a probe sidecar found outside
// a check.
const ProbeLeftCause = "probe sidecar left by an interrupted check"

// Compute compares desired and actual state and returns the operations
// that make them equal, each with its cause, in execution order:
// removals (services, networks, volumes), then networks, volumes and
// services in dependency order (leaves first), stable by name.
//
// Only a service's own configuration decides whether it is recreated: a
// change to a service never recreates what depends on it. Two exceptions
// follow from Docker: a container attached to a recreated network, and one
// sharing the network namespace of a recreated service, must be recreated
// with it.
func Compute(d *Desired, a *Actual) *Plan {
	if a == nil {
		a = &Actual{}
	}
	p := &Plan{}

	// Removals of what is no longer declared.
	want := map[string]bool{}
	for _, s := range d.Services {
		want[s.Name] = true
	}
	for _, name := range sortedKeys(a.Containers) {
		if !want[name] {
			p.Operations = append(p.Operations, Operation{Kind: Remove, Resource: ResService, Name: name, Cause: "no longer declared", ID: a.Containers[name].ID})
		}
	}
	// A probe sidecar outside a check was left by a killed command.
	for _, name := range sortedKeys(a.Probes) {
		p.Operations = append(p.Operations, Operation{Kind: Remove, Resource: ResService, Name: name, Cause: ProbeLeftCause, ID: a.Probes[name].ID})
	}
	want = map[string]bool{}
	for _, n := range d.Networks {
		want[n.Labels[engine.LabelNetwork]] = true
	}
	for _, name := range sortedKeys(a.Networks) {
		if !want[name] {
			p.Operations = append(p.Operations, Operation{Kind: Remove, Resource: ResNetwork, Name: name, Cause: "no longer declared", ID: a.Networks[name].ID})
		}
	}
	want = map[string]bool{}
	for _, v := range d.Volumes {
		want[v.Labels[engine.LabelVolume]] = true
	}
	// A volume no longer declared keeps its data: only `down --volumes`
	// removes volumes.
	for _, name := range sortedKeys(a.Volumes) {
		if !want[name] {
			p.Operations = append(p.Operations, Operation{Kind: Keep, Resource: ResVolume, Name: name, Cause: VolumeKeptCause, ID: a.Volumes[name].Name})
		}
	}

	// Networks.
	nets := append([]engine.NetworkSpec(nil), d.Networks...)
	sort.Slice(nets, func(i, j int) bool { return nets[i].Name < nets[j].Name })
	recreatedNet := map[string]string{} // engine name -> cause for attached containers
	for _, n := range nets {
		name := n.Labels[engine.LabelNetwork]
		cur, ok := a.Networks[name]
		switch {
		case !ok:
			p.Operations = append(p.Operations, Operation{Kind: Create, Resource: ResNetwork, Name: name, Cause: "not present"})
			// A container still attached to a network that vanished
			// (removed while the container was stopped) cannot start.
			recreatedNet[n.Name] = "network " + name + " was missing"
		default:
			var why []string
			if cur.Internal != n.Internal {
				why = append(why, "internal changed")
			}
			if n.Subnet != "" && !contains(cur.Subnets, n.Subnet) {
				why = append(why, "subnet changed")
			}
			if n.Subnet6 != "" && !contains(cur.Subnets, n.Subnet6) {
				why = append(why, "subnet6 changed")
			}
			if len(why) > 0 {
				p.Operations = append(p.Operations, Operation{Kind: Recreate, Resource: ResNetwork, Name: name, Cause: strings.Join(why, ", "), ID: cur.ID})
				recreatedNet[n.Name] = "network " + name + " recreated"
			} else {
				p.Operations = append(p.Operations, Operation{Kind: Keep, Resource: ResNetwork, Name: name, Cause: "unchanged", ID: cur.ID})
			}
		}
	}

	// Volumes keep their data: they are created, kept or removed, never
	// recreated.
	vols := append([]engine.VolumeSpec(nil), d.Volumes...)
	sort.Slice(vols, func(i, j int) bool { return vols[i].Name < vols[j].Name })
	for _, v := range vols {
		name := v.Labels[engine.LabelVolume]
		if _, ok := a.Volumes[name]; ok {
			p.Operations = append(p.Operations, Operation{Kind: Keep, Resource: ResVolume, Name: name, Cause: "unchanged", ID: v.Name})
		} else {
			p.Operations = append(p.Operations, Operation{Kind: Create, Resource: ResVolume, Name: name, Cause: "not present"})
		}
	}

	// Services, leaves first.
	byName := map[string]*DesiredService{}
	g := NewGraph()
	for _, s := range d.Services {
		byName[s.Name] = s
		g.Add(s.Name, s.DependsOn...)
	}
	order, err := g.Order()
	if err != nil {
		// Desire refuses cycles; fall back to name order rather than panic.
		order = g.Nodes()
	}
	replaced := map[string]bool{} // services whose container is new
	for _, name := range order {
		s := byName[name]
		if s == nil {
			continue
		}
		cur, ok := a.Containers[name]
		op := Operation{Resource: ResService, Name: name, ID: cur.ID}
		switch {
		case !ok:
			op.Kind, op.Cause = Create, "not present"
		case cur.Labels[engine.LabelConfigHash] != s.Hash:
			op.Kind, op.Cause = Recreate, changeCause(cur.Labels[LabelConfigFields], s.Spec.Labels[LabelConfigFields])
		case cur.State == engine.StateDead || cur.State == engine.StateRemoving:
			op.Kind, op.Cause = Recreate, "container is "+cur.State.String()
		default:
			if cause := attachedTo(s, recreatedNet); cause != "" {
				op.Kind, op.Cause = Recreate, cause
			} else if cause := detached(d.Instance, s, cur, a); cause != "" {
				op.Kind, op.Cause = Recreate, cause
			} else if other, ok := strings.CutPrefix(s.Spec.NetworkMode, "container:"+d.Instance+"-"); ok && replaced[other] {
				op.Kind, op.Cause = Recreate, "shares the network of recreated service "+other
			} else if cur.State == engine.StateRunning || cur.State == engine.StateRestarting {
				op.Kind, op.Cause = Keep, "unchanged"
			} else if cur.State == engine.StatePaused {
				// A paused service answers nothing: drift, undone by
				// starting (unpausing) it.
				op.Kind, op.Cause = Start, "paused"
			} else {
				op.Kind, op.Cause = Start, "stopped"
			}
		}
		if op.Kind == Create || op.Kind == Recreate {
			replaced[name] = true
		}
		p.Operations = append(p.Operations, op)
	}
	return p
}

// attachedTo returns the cause for recreating s when it joins a network
// that is (re)created, "" otherwise.
func attachedTo(s *DesiredService, recreated map[string]string) string {
	for _, n := range s.Spec.Networks {
		if cause, ok := recreated[n.Network]; ok {
			return cause
		}
	}
	return ""
}

// detached returns the cause for recreating s when its container was
// disconnected from a declared network (by hand: docker network
// disconnect), "" otherwise or when the listing did not name the
// container's networks.
func detached(instance string, s *DesiredService, cur engine.Container, a *Actual) string {
	if cur.Networks == nil {
		return ""
	}
	var gone []string
	for _, n := range s.Spec.Networks {
		declared := strings.TrimPrefix(n.Network, instance+"-")
		// A container created but never started may still name a network
		// by the ID it was attached with.
		id := a.Networks[declared].ID
		if !slices.Contains(cur.Networks, n.Network) && (id == "" || !slices.Contains(cur.Networks, id)) {
			gone = append(gone, declared)
		}
	}
	switch len(gone) {
	case 0:
		return ""
	case 1:
		return "network " + gone[0] + " disconnected"
	}
	return "networks " + strings.Join(gone, ", ") + " disconnected"
}

// changeCause names the fields that differ between two LabelConfigFields
// values: "env changed", "image and ports changed". It never includes a
// value, so sensitive settings cannot leak through a cause.
func changeCause(oldFields, newFields string) string {
	if oldFields == "" {
		return "configuration changed"
	}
	changed := ChangedFields(oldFields, newFields)
	switch len(changed) {
	case 0:
		return "configuration changed"
	case 1:
		return changed[0] + " changed"
	default:
		return strings.Join(changed[:len(changed)-1], ", ") + " and " + changed[len(changed)-1] + " changed"
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// String renders one operation per line, in order.
func (p *Plan) String() string {
	if p == nil {
		return ""
	}
	var b strings.Builder
	for _, op := range p.Operations {
		b.WriteString(op.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// Changes counts the operations that change something (all but keep).
func (p *Plan) Changes() int {
	if p == nil {
		return 0
	}
	n := 0
	for _, op := range p.Operations {
		if op.Kind != Keep {
			n++
		}
	}
	return n
}

// Find returns the operation on resource name, if any.
func (p *Plan) Find(resource ResourceKind, name string) (Operation, bool) {
	for _, op := range p.Operations {
		if op.Resource == resource && op.Name == name {
			return op, true
		}
	}
	return Operation{}, false
}
