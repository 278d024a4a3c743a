package apply

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/moby/moby/api/types/network"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/proeftuin/proeftuin/internal/config"
)

// portTarget publishes one port on 127.0.0.1; only Host and MappedPort
// are used by httpFirst.
type portTarget struct {
	wait.StrategyTarget
	port uint16
}

func (t portTarget) Host(context.Context) (string, error) { return "localhost", nil }
func (t portTarget) MappedPort(context.Context, string) (network.Port, error) {
	p, _ := network.PortFrom(t.port, network.TCP)
	return p, nil
}

func TestHTTPFirst(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/health" {
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	_, ps, _ := net.SplitHostPort(srv.Listener.Addr().String())
	n, _ := strconv.Atoi(ps)
	target := portTarget{port: uint16(n)}
	ctx := context.Background()
	if !httpFirst(80, "/health", 200)(ctx, target) {
		t.Error("a server answering 200 is not ready")
	}
	if httpFirst(80, "/", 200)(ctx, target) {
		t.Error("a 404 counts as ready")
	}
	if !httpFirst(80, "/", 404)(ctx, target) {
		t.Error("the expected status is not honoured")
	}
	srv.Close()
	if httpFirst(80, "/health", 200)(ctx, target) {
		t.Error("a closed port counts as ready")
	}
}

func TestReadyProbeFirstOnlyForPublishedHTTP(t *testing.T) {
	published := &config.Service{Name: "web", Ports: []*config.Port{{Host: 8080, Container: 80}}}
	private := &config.Service{Name: "web"}
	httpReady := &config.Ready{HTTP: &config.ReadyHTTP{Port: 80}}
	if p, _ := ReadyProbe(published, httpReady, 0); p.First == nil {
		t.Error("a published HTTP probe has no first attempt")
	}
	if p, _ := ReadyProbe(private, httpReady, 0); p.First != nil {
		t.Error("an HTTP probe inside the container has a first attempt")
	}
	if p, _ := ReadyProbe(published, &config.Ready{Port: &config.ReadyPort{Port: 80}}, 0); p.First != nil {
		t.Error("a port probe has a first attempt")
	}
}
