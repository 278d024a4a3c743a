package probe

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseLink(t *testing.T) {
	l, err := parseLink("10.0.0.2=eth1@02:42:ac:10:00:0a")
	if err != nil || l.Address.String() != "10.0.0.2" || l.Name != "eth1" || l.MAC.String() != "02:42:ac:10:00:0a" {
		t.Fatalf("parseLink: %+v, %v", l, err)
	}
	if l, err := parseLink("10.0.0.2=eth0"); err != nil || l.MAC != nil {
		t.Fatalf("parseLink without MAC: %+v, %v", l, err)
	}
	for _, bad := range []string{"10.0.0.2", "x=eth0", "10.0.0.2=", "10.0.0.2=averyverylongname0", "10.0.0.2=eth0@zz"} {
		if _, err := parseLink(bad); err == nil {
			t.Errorf("parseLink(%q) accepted", bad)
		}
	}
}

func TestParseRoute(t *testing.T) {
	r, err := parseRoute("10.0.3.0/24,10.0.0.1")
	if err != nil || r.To.String() != "10.0.3.0/24" || r.Via.String() != "10.0.0.1" {
		t.Fatalf("parseRoute: %+v, %v", r, err)
	}
	for _, bad := range []string{"10.0.3.0/24", "10.0.3.0,10.0.0.1", "10.0.3.0/24,x"} {
		if _, err := parseRoute(bad); err == nil {
			t.Errorf("parseRoute(%q) accepted", bad)
		}
	}
}

// TestNetSetupUsage: bad arguments exit with ExitInvalid before touching
// the namespace.
func TestNetSetupUsage(t *testing.T) {
	for _, args := range [][]string{
		{"netsetup", "--link", "nonsense"},
		{"netsetup", "--route", "10.0.0.0/8"},
		{"netsetup", "--address", "eth0=10.0.0.1"},
		{"veth", "--name", "a"},
	} {
		var out, errb bytes.Buffer
		if code := Main(t.Context(), args, &out, &errb); code != ExitInvalid {
			t.Errorf("%v: exit %d, want %d (%s)", args, code, ExitInvalid, errb.String())
		}
		if !strings.Contains(errb.String(), "proeftuin probe") {
			t.Errorf("%v: no message: %q", args, errb.String())
		}
	}
}
