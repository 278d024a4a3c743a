package doctor

import (
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/proeftuin/proeftuin/internal/config"
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
