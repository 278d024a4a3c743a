package progress

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Renderer is a Sink that writes what it receives somewhere; Close writes
// whatever is still pending (the TTY renderer's final frame) and stops
// background work. Close does not close the underlying writer.
type Renderer interface {
	Sink
	Close() error
}

// Format picks a renderer.
type Format int

const (
	FormatPlain Format = iota // one line per event
	FormatTTY                 // one line per resource, updated in place
	FormatJSON                // one JSON object per line
)

// RenderOptions configure New.
type RenderOptions struct {
	Format Format
	// Redact, when set, is applied to every message before it is written
	// (hides sensitive values).
	Redact func(string) string
	// Width is the terminal width for FormatTTY; 0 means 80.
	Width int
}

// New returns the renderer for opts.Format writing to w.
func New(w io.Writer, opts RenderOptions) Renderer {
	switch opts.Format {
	case FormatJSON:
		return &jsonRenderer{enc: json.NewEncoder(w), redact: opts.Redact}
	case FormatTTY:
		return newTTY(w, opts)
	default:
		return &plainRenderer{w: w, redact: opts.Redact}
	}
}

// IsTerminal reports whether w is a character device (a terminal). It is
// deliberately simple: a pipe, a file or a buffer is not a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	if err != nil {
		return false
	}
	return st.Mode()&os.ModeCharDevice != 0
}

// Describe is the plain text of an event: "service web: started (0.4s)",
// followed by ": message" when there is one.
func Describe(e Event) string {
	var b strings.Builder
	b.WriteString(e.Kind)
	b.WriteByte(' ')
	b.WriteString(e.Name)
	b.WriteString(": ")
	b.WriteString(e.Phase)
	if e.Duration > 0 {
		fmt.Fprintf(&b, " (%s)", FormatDuration(e.Duration))
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(oneLine(e.Message))
	}
	return b.String()
}

// FormatDuration renders a duration short and steady: "0.4s", "12.0s",
// "2m05s".
func FormatDuration(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	d = d.Round(time.Second)
	return fmt.Sprintf("%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " …"
	}
	return s
}

func redacted(e Event, redact func(string) string) Event {
	if redact != nil && e.Message != "" {
		e.Message = redact(e.Message)
	}
	return e
}

// plainRenderer writes one line per event, for logs and CI.
type plainRenderer struct {
	mu     sync.Mutex
	w      io.Writer
	redact func(string) string
}

func (r *plainRenderer) Event(e Event) {
	line := Describe(redacted(e, r.redact)) + "\n"
	r.mu.Lock()
	defer r.mu.Unlock()
	_, _ = io.WriteString(r.w, line)
}

func (r *plainRenderer) Close() error { return nil }

// jsonRenderer writes one JSON object per event.
type jsonRenderer struct {
	mu     sync.Mutex
	enc    *json.Encoder
	redact func(string) string
}

func (r *jsonRenderer) Event(e Event) {
	e = redacted(e, r.redact)
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	_ = r.enc.Encode(e)
}

func (r *jsonRenderer) Close() error { return nil }
