package docker

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
)

func TestTailBufferKeepsTheTail(t *testing.T) {
	for _, limit := range []int{1, 7, 512, 1000, 4096} {
		rng := rand.New(rand.NewPCG(uint64(limit), 1))
		tb := newTailBuffer(limit)
		var all []byte
		for range 300 {
			chunk := make([]byte, rng.IntN(3*limit+2))
			for i := range chunk {
				chunk[i] = byte('a' + rng.IntN(26))
			}
			all = append(all, chunk...)
			if _, err := tb.Write(chunk); err != nil {
				t.Fatal(err)
			}
			want := all[max(0, len(all)-limit):]
			if got := tb.Bytes(); !bytes.Equal(got, want) {
				t.Fatalf("limit %d after %d bytes: got %q, want %q", limit, len(all), got, want)
			}
			if tb.Truncated() != (len(all) > limit) {
				t.Fatalf("limit %d after %d bytes: Truncated = %v", limit, len(all), tb.Truncated())
			}
			if cap(tb.buf) > limit {
				t.Fatalf("buffer grew to %d beyond limit %d", cap(tb.buf), limit)
			}
		}
	}
}

func TestTailBufferZeroLimit(t *testing.T) {
	tb := newTailBuffer(0)
	if n, err := tb.Write([]byte("abc")); n != 3 || err != nil {
		t.Fatalf("Write = %d, %v", n, err)
	}
	if len(tb.Bytes()) != 0 || !tb.Truncated() {
		t.Fatalf("Bytes = %q, Truncated = %v", tb.Bytes(), tb.Truncated())
	}
}

func TestHealthFromStatus(t *testing.T) {
	tests := map[string]string{
		"Up 3 seconds (health: starting)": "starting",
		"Up 2 minutes (healthy)":          "healthy",
		"Up 2 minutes (unhealthy)":        "unhealthy",
		"Up 2 minutes":                    "",
		"Exited (0) 5 seconds ago":        "",
		"Created":                         "",
	}
	for status, want := range tests {
		if got := healthFromStatus(status); got != want {
			t.Errorf("healthFromStatus(%q) = %q, want %q", status, got, want)
		}
	}
}

func TestRestartPolicy(t *testing.T) {
	good := map[string]container.RestartPolicy{
		"no":             {Name: "no"},
		"always":         {Name: "always"},
		"unless-stopped": {Name: "unless-stopped"},
		"on-failure":     {Name: "on-failure"},
		"on-failure:3":   {Name: "on-failure", MaximumRetryCount: 3},
	}
	for s, want := range good {
		got, err := restartPolicy(s)
		if err != nil || got != want {
			t.Errorf("restartPolicy(%q) = %+v, %v; want %+v", s, got, err, want)
		}
	}
	for _, s := range []string{"sometimes", "always:2", "on-failure:x", "on-failure:-1"} {
		if _, err := restartPolicy(s); err == nil {
			t.Errorf("restartPolicy(%q) gave no error", s)
		}
	}
}

func TestDeviceMapping(t *testing.T) {
	good := map[string]container.DeviceMapping{
		"/dev/fuse":           {PathOnHost: "/dev/fuse", PathInContainer: "/dev/fuse", CgroupPermissions: "rwm"},
		"/dev/fuse:/dev/f":    {PathOnHost: "/dev/fuse", PathInContainer: "/dev/f", CgroupPermissions: "rwm"},
		"/dev/fuse:r":         {PathOnHost: "/dev/fuse", PathInContainer: "/dev/fuse", CgroupPermissions: "r"},
		"/dev/fuse:/dev/f:rw": {PathOnHost: "/dev/fuse", PathInContainer: "/dev/f", CgroupPermissions: "rw"},
	}
	for s, want := range good {
		got, err := deviceMapping(s)
		if err != nil || got != want {
			t.Errorf("deviceMapping(%q) = %+v, %v; want %+v", s, got, err, want)
		}
	}
	for _, s := range []string{"/dev/a:/dev/b:xyz", "a:b:c:d", ":/dev/b"} {
		if _, err := deviceMapping(s); err == nil {
			t.Errorf("deviceMapping(%q) gave no error", s)
		}
	}
}

func TestGraceSeconds(t *testing.T) {
	if graceSeconds(-1) != nil {
		t.Error("negative grace should use the container's stop timeout")
	}
	for grace, want := range map[time.Duration]int{0: 0, time.Millisecond: 1, time.Second: 1, 1500 * time.Millisecond: 2, 10 * time.Second: 10} {
		if got := *graceSeconds(grace); got != want {
			t.Errorf("graceSeconds(%s) = %d, want %d", grace, got, want)
		}
	}
}

func TestSummaryName(t *testing.T) {
	if got := summaryName([]string{"/web/db", "/db"}); got != "db" {
		t.Errorf("summaryName = %q, want db", got)
	}
}
