package config

import (
	"fmt"
)

// validate runs the checks that need more than one block: unique host
// ports and addresses, dependency cycles, requirements without checks,
// plans without steps. Checks of a single value happen while decoding it.
func (l *loader) validate(tb *topBlocks) {
	l.checkHostPorts()
	l.checkAddresses()
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
