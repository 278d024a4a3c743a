package progress

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 12, 9, 0, 0, 0, time.UTC)

func events() []Event {
	return []Event{
		{Time: t0, Kind: "network", Name: "front", Phase: Created, Duration: 120 * time.Millisecond},
		{Time: t0, Kind: "service", Name: "web", Phase: Starting},
		{Time: t0, Kind: "service", Name: "web", Phase: Started, Duration: 400 * time.Millisecond},
		{Time: t0, Kind: "service", Name: "db", Phase: Failed, Duration: 75 * time.Second, Message: "password hunter2 rejected\nsecond line"},
	}
}

func hide(s string) string { return strings.ReplaceAll(s, "hunter2", "(sensitive)") }

func TestPlain(t *testing.T) {
	var buf bytes.Buffer
	r := New(&buf, RenderOptions{Format: FormatPlain, Redact: hide})
	for _, e := range events() {
		r.Event(e)
	}
	r.Close()
	want := `network front: created (0.1s)
service web: starting
service web: started (0.4s)
service db: failed (1m15s): password (sensitive) rejected …
`
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

func TestJSONOneEventPerLine(t *testing.T) {
	var buf bytes.Buffer
	r := New(&buf, RenderOptions{Format: FormatJSON, Redact: hide})
	for _, e := range events() {
		r.Event(e)
	}
	r.Close()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines, want 4:\n%s", len(lines), buf.String())
	}
	var e Event
	if err := json.Unmarshal([]byte(lines[3]), &e); err != nil {
		t.Fatal(err)
	}
	if e.Phase != Failed || e.Duration != 75*time.Second || strings.Contains(e.Message, "hunter2") {
		t.Errorf("decoded %+v", e)
	}
}

func TestTTYUpdatesInPlace(t *testing.T) {
	var buf bytes.Buffer
	r := New(&buf, RenderOptions{Format: FormatTTY, Redact: hide, Width: 60}).(*ttyRenderer)
	r.now = func() time.Time { return t0.Add(2 * time.Second) }
	for _, e := range events() {
		r.Event(e)
	}
	r.Close()
	out := buf.String()
	if strings.Contains(out, "hunter2") {
		t.Error("secret leaked")
	}
	// The last frame: three rows, one per resource, after moving up three.
	i := strings.LastIndex(out, "\x1b[3A")
	if i < 0 {
		t.Fatalf("no redraw of three lines in %q", out)
	}
	frame := out[i:]
	for _, want := range []string{"network front", "service web", "started", "0.4s", "service db", "failed", "1m15s"} {
		if !strings.Contains(frame, want) {
			t.Errorf("last frame lacks %q: %q", want, frame)
		}
	}
	if strings.Count(frame, "\n") != 3 {
		t.Errorf("last frame has %d lines, want 3: %q", strings.Count(frame, "\n"), frame)
	}
	for _, l := range strings.Split(frame, "\n") {
		if plain := stripANSI(l); len([]rune(plain)) > 59 {
			t.Errorf("line longer than the terminal: %q", plain)
		}
	}
}

func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b {
			for i < len(s) && !(s[i] >= 'A' && s[i] <= 'Z' || s[i] >= 'a' && s[i] <= 'z') {
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return strings.TrimPrefix(b.String(), "\r")
}

// Plan steps show a running clock while they run and their own colours
// when they end, like services.
func TestTTYStepPhases(t *testing.T) {
	var buf bytes.Buffer
	r := New(&buf, RenderOptions{Format: FormatTTY, Redact: hide, Width: 80}).(*ttyRenderer)
	r.now = func() time.Time { return t0.Add(3 * time.Second) }
	r.Event(Event{Time: t0, Kind: "step", Name: "schema", Phase: Running})
	r.Event(Event{Time: t0, Kind: "step", Name: "seed", Phase: Passed, Duration: 1500 * time.Millisecond})
	r.Event(Event{Time: t0, Kind: "step", Name: "tls", Phase: Interrupted, Duration: 2 * time.Second})
	r.Close()
	frame := buf.String()[strings.LastIndex(buf.String(), "\x1b[3A"):]
	lines := strings.Split(frame, "\n")
	if len(lines) < 3 {
		t.Fatalf("frame %q", frame)
	}
	if !strings.Contains(stripANSI(lines[0]), "running") || !strings.Contains(lines[0], "3.0s") {
		t.Errorf("a running step shows its clock: %q", lines[0])
	}
	if !strings.Contains(lines[1], ansiGreen) || !strings.Contains(lines[1], "1.5s") {
		t.Errorf("a passed step is green with its duration: %q", lines[1])
	}
	if !strings.Contains(lines[2], ansiRed) {
		t.Errorf("an interrupted step is red: %q", lines[2])
	}
}
