package doctor

import (
	"context"
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/engine/fake"
)

func TestPortFree(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	p := &config.Port{Host: port, Container: 80}

	if ok, msg := PortFree(p, nil); ok || !strings.Contains(msg, "is taken") {
		t.Errorf("a listening port: ok=%v %q", ok, msg)
	}
	// Taken by this instance's own container: fine.
	own := map[string]string{"tcp/" + strconv.Itoa(port): "web"}
	if ok, msg := PortFree(p, own); !ok || !strings.Contains(msg, "service web") {
		t.Errorf("our own port: ok=%v %q", ok, msg)
	}
	l.Close()
	if ok, msg := PortFree(p, nil); !ok {
		t.Errorf("a free port: %q", msg)
	}
}

func TestHumanBytes(t *testing.T) {
	for n, want := range map[uint64]string{512: "512 B", 2048: "2.0 KiB", 5 << 30: "5.0 GiB"} {
		if got := HumanBytes(n); got != want {
			t.Errorf("HumanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestEnvironmentNamesConflicts: doctor finds before up what the engine
// would refuse, and names the instance that holds it.
func TestEnvironmentNamesConflicts(t *testing.T) {
	eng := fake.New()
	eng.SetImage("img", "sha256:img")
	eng.AddNetwork(engine.Network{Name: "p1-lan", Subnets: []string{"10.20.0.0/24"},
		Labels: map[string]string{engine.LabelInstance: "p1", engine.LabelEnv: "lab"}})
	env := &config.Environment{Name: "lab",
		Networks: []*config.Network{{Name: "lan", Subnet: "10.20.0.0/24"}},
		Services: []*config.Service{{Name: "web", Image: "img"}}}
	rep := &Report{}
	if Environment(context.Background(), eng, env, "p2", rep) {
		t.Error("doctor passes a lab whose subnet another instance holds")
	}
	found := false
	for _, c := range rep.Checks {
		found = found || c.Status == Fail && strings.Contains(c.Message, "network 10.20.0.0/24 is held by instance p1 (lab lab)")
	}
	if !found {
		t.Errorf("no line names the holder: %+v", rep.Checks)
	}
	if rep := (&Report{}); !Environment(context.Background(), eng, env, "p1", rep) {
		t.Errorf("p1 conflicts with itself: %+v", rep.Checks)
	}
}
