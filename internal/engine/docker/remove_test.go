package docker

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// scriptedDaemon answers container remove and inspect requests from
// scripts: each request takes the next answer of its kind (the last one
// repeats). An answer is a status code and a container state.
type scriptedDaemon struct {
	mu              sync.Mutex
	removes         []int
	inspects        []string // container state, or "" for 404
	nRemove, nInspt int
}

func (s *scriptedDaemon) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch {
	case req.Method == http.MethodDelete && strings.Contains(req.URL.Path, "/containers/"):
		code := s.removes[min(s.nRemove, len(s.removes)-1)]
		s.nRemove++
		w.WriteHeader(code)
		switch code {
		case http.StatusConflict:
			w.Write([]byte(`{"message":"removal of container c1 is already in progress"}`))
		case http.StatusNotFound:
			w.Write([]byte(`{"message":"No such container: c1"}`))
		case http.StatusInternalServerError:
			w.Write([]byte(`{"message":"driver failed"}`))
		}
	case req.Method == http.MethodGet && strings.HasSuffix(req.URL.Path, "/json"):
		state := s.inspects[min(s.nInspt, len(s.inspects)-1)]
		s.nInspt++
		if state == "" {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"message":"No such container: c1"}`))
			return
		}
		w.Write([]byte(`{"Id":"c1","Name":"/c1","State":{"Status":"` + state + `"},"Config":{},"HostConfig":{},"NetworkSettings":{}}`))
	default:
		w.WriteHeader(http.StatusNotImplemented)
	}
}

func (s *scriptedDaemon) counts() (removes, inspects int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nRemove, s.nInspt
}

func scripted(t *testing.T, s *scriptedDaemon) *Docker {
	t.Helper()
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	cli, err := client.New(client.WithHost("tcp://"+strings.TrimPrefix(srv.URL, "http://")), client.WithAPIVersion("1.41"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	old := removalPoll
	removalPoll = 10 * time.Millisecond
	t.Cleanup(func() { removalPoll = old })
	return &Docker{cli: cli, host: srv.URL}
}

func TestRemoveContainerWaitsForRemovalInProgress(t *testing.T) {
	s := &scriptedDaemon{removes: []int{http.StatusConflict}, inspects: []string{"running", "removing", "removing", ""}}
	d := scripted(t, s)
	if err := d.RemoveContainer(context.Background(), "c1"); err != nil {
		t.Fatalf("RemoveContainer: %v", err)
	}
	// "running": the other removal may still be killing it, so asking
	// again is harmless (and answered 409 here).
	if r, i := s.counts(); r != 2 || i != 4 {
		t.Errorf("%d removes, %d inspects; want 2, 4", r, i)
	}
}

func TestRemoveContainerTakesOverAFailedRemoval(t *testing.T) {
	// The other removal gave up and left the container dead.
	s := &scriptedDaemon{removes: []int{http.StatusConflict, http.StatusNoContent}, inspects: []string{"removing", "dead"}}
	d := scripted(t, s)
	if err := d.RemoveContainer(context.Background(), "c1"); err != nil {
		t.Fatalf("RemoveContainer: %v", err)
	}
	if r, _ := s.counts(); r != 2 {
		t.Errorf("%d removes, want 2", r)
	}
}

func TestRemoveContainerWaitIsBoundedByContext(t *testing.T) {
	s := &scriptedDaemon{removes: []int{http.StatusConflict}, inspects: []string{"removing"}}
	d := scripted(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := d.RemoveContainer(ctx, "c1")
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("returned after %s", el)
	}
}

func TestRemoveContainerOtherErrors(t *testing.T) {
	d := scripted(t, &scriptedDaemon{removes: []int{http.StatusNotFound}, inspects: []string{""}})
	if err := d.RemoveContainer(context.Background(), "c1"); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("absent container: err = %v, want ErrNotFound", err)
	}
	s := &scriptedDaemon{removes: []int{http.StatusInternalServerError}, inspects: []string{""}}
	d = scripted(t, s)
	if err := d.RemoveContainer(context.Background(), "c1"); err == nil || !strings.Contains(err.Error(), "driver failed") {
		t.Errorf("failing removal: err = %v", err)
	}
	if _, i := s.counts(); i != 0 {
		t.Errorf("a plain failure was waited on (%d inspects)", i)
	}
}
