// Package reliability is the reliability and security suite: seeded
// interrupts, engine faults, floods, drift, concurrent instances, hostile
// input and secrets, against a real Docker engine. Its tests carry the
// build tag "reliability": `make test` runs them with 3 seeded trials of
// each interrupt kind, `make reliability` with 20 (see docs/reliability.md).
package reliability
