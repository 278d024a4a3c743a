package config

import "testing"

func TestCounts(t *testing.T) {
	env := &Environment{Name: "lab", Services: make([]*Service, 2), Networks: make([]*Network, 1)}
	c := env.Counts()
	if c.Environment != "lab" || c.Services != 2 || c.Networks != 1 {
		t.Errorf("Counts() = %+v", c)
	}
	if want := "2 services, 1 network, 0 requirements, 0 checks, 0 steps"; c.String() != want {
		t.Errorf("String() = %q, want %q", c.String(), want)
	}
}
