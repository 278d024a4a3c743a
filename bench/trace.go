package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/proeftuin/proeftuin/bench/internal/topo"
)

// call is one Docker API request seen by the tracing proxy.
type call struct {
	start, dur time.Duration
	method     string
	path       string
	status     int
}

// tracer is a reverse proxy on a unix socket in front of the daemon that
// records every request proeftuin makes: where the time of up and down
// goes, without touching proeftuin.
type tracer struct {
	mu    sync.Mutex
	t0    time.Time
	calls []call
}

var apiVersion = regexp.MustCompile(`^/v[0-9.]+`)

func (tr *tracer) reset() {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.t0, tr.calls = time.Now(), nil
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) { w.status = code; w.ResponseWriter.WriteHeader(code) }
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func upstreamSocket() string {
	if h := os.Getenv("DOCKER_HOST"); strings.HasPrefix(h, "unix://") {
		return strings.TrimPrefix(h, "unix://")
	}
	return "/var/run/docker.sock"
}

func (c *config) trace(name string) error {
	t, err := topo.Get(name)
	if err != nil {
		return err
	}
	dir := filepath.Join(c.work, t.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "environment.hcl"), []byte(t.HCL()), 0o644); err != nil {
		return err
	}
	sock := filepath.Join(c.work, "docker.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		return err
	}
	defer ln.Close()
	up := upstreamSocket()
	tr := &tracer{t0: time.Now()}
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: "http", Host: "docker"})
	proxy.Transport = &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", up)
	}}
	proxy.FlushInterval = -1
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: 200}
		proxy.ServeHTTP(sw, r)
		tr.mu.Lock()
		tr.calls = append(tr.calls, call{start: start.Sub(tr.t0), dur: time.Since(start), method: r.Method,
			path: apiVersion.ReplaceAllString(r.URL.Path, ""), status: sw.status})
		tr.mu.Unlock()
	})}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	env := []string{"DOCKER_HOST=unix://" + sock}
	inst := "btr-" + t.Name
	pt := func(args ...string) (measured, error) {
		return run(env, c.proeftuin, append([]string{"--dir", dir, "--name", inst, "--no-color"}, args...)...)
	}
	_, _ = pt("down")
	phases := []struct {
		name string
		args []string
	}{
		{"up", []string{"up"}},
		{"unchanged up", []string{"up"}},
		{"down", []string{"down"}},
	}
	if t.PlanSteps > 0 {
		phases = append(phases[:2], append([]struct {
			name string
			args []string
		}{{"run", []string{"run", "--format", "json", "--report-dir", filepath.Join(c.work, "trace-report")}}}, phases[2:]...)...)
	}
	for _, ph := range phases {
		tr.reset()
		m, err := pt(ph.args...)
		if err != nil {
			return err
		}
		tr.mu.Lock()
		calls := append([]call(nil), tr.calls...)
		tr.mu.Unlock()
		printTrace(ph.name, m, calls)
	}
	return nil
}

func template(p string) string {
	seg := strings.Split(p, "/")
	if len(seg) > 2 && seg[1] == "images" {
		last := seg[len(seg)-1]
		return "/images/{ref}/" + last
	}
	for i := 2; i < len(seg); i++ {
		switch seg[i-1] {
		case "containers", "networks", "exec", "volumes":
			switch seg[i] {
			case "json", "create", "prune":
			default:
				seg[i] = "{id}"
			}
		}
	}
	return strings.Join(seg, "/")
}

func printTrace(phase string, m measured, calls []call) {
	type agg struct {
		n          int
		total, max time.Duration
	}
	by := map[string]*agg{}
	var busy time.Duration
	for _, c := range calls {
		k := c.method + " " + template(c.path)
		a := by[k]
		if a == nil {
			a = &agg{}
			by[k] = a
		}
		a.n++
		a.total += c.dur
		a.max = max(a.max, c.dur)
		busy += c.dur
	}
	keys := make([]string, 0, len(by))
	for k := range by {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return by[keys[i]].total > by[keys[j]].total })
	first, last := time.Duration(0), time.Duration(0)
	if len(calls) > 0 {
		first = calls[0].start
		for _, c := range calls {
			first = min(first, c.start)
			last = max(last, c.start+c.dur)
		}
	}
	fmt.Printf("\n== %s: %.0f ms wall, %d API calls (first at %.0f ms, last done at %.0f ms), %.0f ms CPU, %.1f MB peak RSS\n",
		phase, ms(m.Wall), len(calls), ms(first), ms(last), ms(m.CPU), float64(m.MaxRSS)/(1<<20))
	fmt.Printf("   %-45s %5s %10s %9s\n", "call", "n", "total ms", "max ms")
	for _, k := range keys {
		a := by[k]
		fmt.Printf("   %-45s %5d %10.1f %9.1f\n", k, a.n, ms(a.total), ms(a.max))
	}
	fmt.Println("   timeline (start ms, duration ms):")
	sort.Slice(calls, func(i, j int) bool { return calls[i].start < calls[j].start })
	for _, c := range calls {
		fmt.Printf("   %8.1f %8.1f %d %s %s\n", ms(c.start), ms(c.dur), c.status, c.method, template(c.path))
	}
}
