package config

import "fmt"

// Counts are how many blocks of each kind an environment declares, as
// `proeftuin validate` reports them.
type Counts struct {
	Environment  string `json:"environment"`
	Services     int    `json:"services"`
	Networks     int    `json:"networks"`
	Requirements int    `json:"requirements"`
	Checks       int    `json:"checks"`
	Steps        int    `json:"steps"`
}

// Counts counts env's blocks.
func (env *Environment) Counts() Counts {
	return Counts{
		Environment:  env.Name,
		Services:     len(env.Services),
		Networks:     len(env.Networks),
		Requirements: len(env.Requirements),
		Checks:       len(env.Checks),
		Steps:        len(env.Steps),
	}
}

// String lists the counts for people: "2 services, 1 network, ...".
func (c Counts) String() string {
	return fmt.Sprintf("%s, %s, %s, %s, %s",
		countOf(c.Services, "service", "services"),
		countOf(c.Networks, "network", "networks"),
		countOf(c.Requirements, "requirement", "requirements"),
		countOf(c.Checks, "check", "checks"),
		countOf(c.Steps, "step", "steps"))
}

func countOf(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
