package topo

import (
	"encoding/json"
	"strings"
	"testing"
)

// The generator only: no engine, no benchmark.
func TestGenerate(t *testing.T) {
	for _, name := range Names {
		tp, err := Get(name)
		if err != nil {
			t.Fatal(err)
		}
		h, c := tp.HCL(), tp.Compose()
		for _, s := range tp.Services {
			if !strings.Contains(h, `service "`+s.Name+`"`) || !strings.Contains(c, "  "+s.Name+":\n") {
				t.Errorf("%s: service %s missing", name, s.Name)
			}
		}
		var back Topology
		if err := json.Unmarshal(tp.JSON(), &back); err != nil || len(back.Services) != len(tp.Services) {
			t.Errorf("%s: spec does not round-trip: %v", name, err)
		}
	}
	if tp, _ := Get("chain5"); tp.Last() != "c5" {
		t.Errorf("chain5 last = %q", tp.Last())
	}
	if _, err := Get("nope"); err == nil {
		t.Error("unknown topology accepted")
	}
}
