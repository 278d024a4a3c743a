// Package reliability is the reliability and security suite: seeded
// interrupts, engine faults, floods, drift, concurrent instances, hostile
// input and secrets, against a real Docker engine. Its tests carry the
// build tag "reliability" so the normal test run stays short; run them
// with `make reliability` (see docs/reliability.md).
package reliability
