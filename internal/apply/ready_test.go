package apply

import (
	"strings"
	"testing"
	"time"

	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/proeftuin/proeftuin/internal/config"
)

func TestReadyProbe(t *testing.T) {
	published := &config.Service{Name: "web", Ports: []*config.Port{{Host: 8080, Container: 80}}}
	private := &config.Service{Name: "web"}
	tests := []struct {
		name     string
		svc      *config.Service
		ready    *config.Ready
		over     time.Duration
		kind     string
		strategy bool // served by a testcontainers-go strategy
		inside   bool
		desc     string
		timeout  time.Duration
	}{
		{"none", private, nil, 0, KindRunning, false, false, "running", DefaultReadyTimeout},
		{"exec", private, &config.Ready{Exec: &config.ReadyExec{Command: []string{"pg_isready"}, ExitCode: 0}, Timeout: 5 * time.Second},
			0, KindExec, false, false, "exec pg_isready exits 0", 5 * time.Second},
		{"http published", published, &config.Ready{HTTP: &config.ReadyHTTP{Port: 80}}, 0, KindHTTP, false, false, "HTTP GET :80/ answers 200", DefaultReadyTimeout},
		{"http private", private, &config.Ready{HTTP: &config.ReadyHTTP{Port: 80, Path: "/health", Status: 204}}, 0, KindHTTP, false, true, "HTTP GET :80/health answers 204 (probed inside the container)", DefaultReadyTimeout},
		{"port published", published, &config.Ready{Port: &config.ReadyPort{Port: 80}}, 0, KindPort, true, false, "port 80/tcp listens", DefaultReadyTimeout},
		{"port private", private, &config.Ready{Port: &config.ReadyPort{Port: 5432}}, 0, KindPort, false, true, "port 5432/tcp listens (probed inside the container)", DefaultReadyTimeout},
		{"log", private, &config.Ready{Log: &config.ReadyLog{Pattern: "ready", Occurrences: 2}}, 0, KindLog, true, false, `log matches "ready" 2 time(s)`, DefaultReadyTimeout},
		{"health", private, &config.Ready{Healthcheck: true, Timeout: time.Second}, 3 * time.Second, KindHealthcheck, false, false, "healthcheck reports healthy", 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ReadyProbe(tt.svc, tt.ready, tt.over)
			if err != nil {
				t.Fatal(err)
			}
			if p.Kind != tt.kind || (p.Strategy != nil) != tt.strategy || p.Inside != tt.inside || p.Description != tt.desc || p.Timeout != tt.timeout {
				t.Errorf("got %s strategy=%v inside=%v %q %s; want %s %v %v %q %s", p.Kind, p.Strategy != nil, p.Inside, p.Description, p.Timeout,
					tt.kind, tt.strategy, tt.inside, tt.desc, tt.timeout)
			}
			if tt.kind != KindRunning && (p.try == nil) == (p.Strategy == nil) {
				t.Errorf("want exactly one of try and Strategy")
			}
			if st, ok := p.Strategy.(wait.StrategyTimeout); ok && st.Timeout() != nil && *st.Timeout() != tt.timeout {
				t.Errorf("strategy timeout %s", *st.Timeout())
			}
			if tt.ready != nil && (p.Schedule.Fast != fastPoll || p.Schedule.Interval != DefaultPollInterval) {
				t.Errorf("schedule %+v", p.Schedule)
			}
		})
	}
	if _, err := ReadyProbe(private, &config.Ready{Log: &config.ReadyLog{Pattern: "("}}, 0); err == nil {
		t.Error("a bad pattern is accepted")
	}
}

func TestListenProbe(t *testing.T) {
	got := strings.Join(listenProbe(8080, "tcp"), " ")
	if !strings.Contains(got, ":1F90 ") || !strings.Contains(got, "/proc/net/tcp6") || !strings.HasPrefix(got, "grep -Eqs") {
		t.Errorf("probe %s", got)
	}
}

func TestParseOwner(t *testing.T) {
	for _, tc := range []struct {
		in       string
		uid, gid int
		ok       bool
	}{{"", 0, 0, true}, {"0:0", 0, 0, true}, {"100:101", 100, 101, true}, {"33", 33, 0, true}, {"www-data", 0, 0, false}, {"1:x", 0, 0, false}} {
		uid, gid, ok := parseOwner(tc.in)
		if uid != tc.uid || gid != tc.gid || ok != tc.ok {
			t.Errorf("parseOwner(%q) = %d %d %v", tc.in, uid, gid, ok)
		}
	}
}
