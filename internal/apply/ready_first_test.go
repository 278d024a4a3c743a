package apply

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/engine/fake"
)

// TestHTTPTry: a published HTTP probe asks the host port the container
// port is published on, and honours the expected status.
func TestHTTPTry(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/health" {
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	_, ps, _ := net.SplitHostPort(srv.Listener.Addr().String())
	hostPort, _ := strconv.Atoi(ps)
	ctx := context.Background()
	eng := fake.New()
	eng.SetImage("img", "sha256:img")
	id, err := eng.CreateContainer(ctx, engine.ContainerSpec{Name: "web", Image: "img", Ports: []engine.PortBinding{{ContainerPort: 80, HostPort: hostPort}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.StartContainer(ctx, id); err != nil {
		t.Fatal(err)
	}
	if a := httpTry(80, "/health", 200)(ctx, eng, id, time.Second); !a.Met {
		t.Errorf("a server answering 200 is not ready: %+v", a)
	}
	if a := httpTry(80, "/", 200)(ctx, eng, id, time.Second); a.Met || a.Actual != "HTTP 404" {
		t.Errorf("a 404 counts as ready: %+v", a)
	}
	if a := httpTry(80, "/", 404)(ctx, eng, id, time.Second); !a.Met {
		t.Errorf("the expected status is not honoured: %+v", a)
	}
	if a := httpTry(81, "/", 200)(ctx, eng, id, time.Second); a.Met || a.Err == nil {
		t.Errorf("an unpublished port: %+v", a)
	}
	srv.Close()
	if a := httpTry(80, "/health", 200)(ctx, eng, id, time.Second); a.Met {
		t.Error("a closed port counts as ready")
	}
}

// TestWaitReadyHTTPIsFast: a published HTTP probe that answers at once is
// found ready within a few fast polls, not after a poll interval.
func TestWaitReadyHTTPIsFast(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	_, ps, _ := net.SplitHostPort(srv.Listener.Addr().String())
	hostPort, _ := strconv.Atoi(ps)
	ctx := context.Background()
	eng := fake.New()
	eng.SetImage("img", "sha256:img")
	id, _ := eng.CreateContainer(ctx, engine.ContainerSpec{Name: "web", Image: "img", Ports: []engine.PortBinding{{ContainerPort: 80, HostPort: hostPort}}})
	_ = eng.StartContainer(ctx, id)
	svc := &config.Service{Name: "web", Ports: []*config.Port{{Host: hostPort, Container: 80}}}
	start := time.Now()
	if err := WaitReady(ctx, eng, id, svc, &config.Ready{HTTP: &config.ReadyHTTP{Port: 80}, Interval: time.Second}, 0, nil); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 500*time.Millisecond {
		t.Errorf("ready after %s", took)
	}
}
