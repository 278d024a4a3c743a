package check

import (
	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/phrase"
	"github.com/proeftuin/proeftuin/internal/probe"
)

// Expectation is what a check of probe p expects, as the phrases its
// outcome's ExpectedText will hold; nil for a probe without a kind.
func Expectation(p config.Probe) phrase.Text {
	switch {
	case p.Exec != nil:
		return ExpectPhrases(p.Exec.Expect)
	case p.File != nil:
		return fileExpected(p.File)
	case p.Process != nil:
		return processExpected(p.Process)
	case p.HTTP != nil:
		return httpSpec(p.HTTP).ExpectedText()
	case p.TCP != nil:
		return probe.TCPSpec{Address: p.TCP.Address, Reachable: p.TCP.Reachable}.ExpectedText()
	case p.DNS != nil:
		return probe.DNSSpec{Name: p.DNS.Name, Address: p.DNS.Address, Resolves: p.DNS.Resolves}.ExpectedText()
	case p.Service != nil:
		return phrase.Of(phrase.P("state." + wantState(p.Service)))
	}
	return nil
}

// wantState is the state a service check expects.
func wantState(p *config.ServiceProbe) string {
	if p.State == "" {
		return "running"
	}
	return p.State
}
