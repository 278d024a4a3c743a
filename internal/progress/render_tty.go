package progress

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// ANSI sequences the TTY renderer uses.
const (
	ansiUp        = "\x1b[%dA"
	ansiClearLine = "\x1b[2K\r"
	ansiReset     = "\x1b[0m"
	ansiGreen     = "\x1b[32m"
	ansiRed       = "\x1b[31m"
	ansiYellow    = "\x1b[33m"
	ansiDim       = "\x1b[2m"
)

// ttyRefresh is how often the running clocks of unfinished phases tick.
const ttyRefresh = 200 * time.Millisecond

// ttyRenderer keeps one line per resource and redraws them in place.
type ttyRenderer struct {
	mu     sync.Mutex
	w      io.Writer
	redact func(string) string
	width  int
	now    func() time.Time

	rows  []*ttyRow
	index map[string]*ttyRow
	drawn int // lines drawn by the last frame

	stop chan struct{}
	done chan struct{}
}

type ttyRow struct {
	kind, name string
	phase      string
	message    string
	since      time.Time     // when the current phase began
	took       time.Duration // the duration reported with the event
}

func newTTY(w io.Writer, opts RenderOptions) *ttyRenderer {
	width := opts.Width
	if width <= 0 {
		width = 80
	}
	r := &ttyRenderer{
		w: w, redact: opts.Redact, width: width, now: time.Now,
		index: map[string]*ttyRow{},
		stop:  make(chan struct{}), done: make(chan struct{}),
	}
	go r.tick()
	return r
}

func (r *ttyRenderer) tick() {
	defer close(r.done)
	t := time.NewTicker(ttyRefresh)
	defer t.Stop()
	for {
		select {
		case <-r.stop:
			return
		case <-t.C:
			r.mu.Lock()
			if r.busy() {
				r.draw()
			}
			r.mu.Unlock()
		}
	}
}

func (r *ttyRenderer) Event(e Event) {
	e = redacted(e, r.redact)
	r.mu.Lock()
	defer r.mu.Unlock()
	key := e.Kind + "\x00" + e.Name
	row := r.index[key]
	if row == nil {
		row = &ttyRow{kind: e.Kind, name: e.Name}
		r.index[key] = row
		r.rows = append(r.rows, row)
	}
	row.phase = e.Phase
	row.message = e.Message
	row.took = e.Duration
	row.since = e.Time
	if row.since.IsZero() {
		row.since = r.now()
	}
	r.draw()
}

func (r *ttyRenderer) Close() error {
	select {
	case <-r.stop:
		return nil
	default:
	}
	close(r.stop)
	<-r.done
	r.mu.Lock()
	defer r.mu.Unlock()
	r.draw()
	return nil
}

// busy reports whether some row is in an unfinished phase, whose clock
// must keep running.
func (r *ttyRenderer) busy() bool {
	for _, row := range r.rows {
		if !finished(row.phase) {
			return true
		}
	}
	return false
}

// finished reports whether phase is an end state; phases this renderer
// does not know are treated as ended, so no clock runs forever.
func finished(phase string) bool {
	switch phase {
	case Pulling, Building, Creating, Starting, Waiting, Stopping, Removing,
		Running, Retrying, RollingBack:
		return false
	}
	return true
}

func (r *ttyRenderer) draw() {
	var b strings.Builder
	if r.drawn > 0 {
		fmt.Fprintf(&b, ansiUp, r.drawn)
	}
	nameWidth := 0
	for _, row := range r.rows {
		if n := len(row.kind) + 1 + len(row.name); n > nameWidth {
			nameWidth = n
		}
	}
	for _, row := range r.rows {
		b.WriteString(ansiClearLine)
		b.WriteString(r.line(row, nameWidth))
		b.WriteByte('\n')
	}
	r.drawn = len(r.rows)
	_, _ = io.WriteString(r.w, b.String())
}

func (r *ttyRenderer) line(row *ttyRow, nameWidth int) string {
	label := row.kind + " " + row.name
	var clock string
	if finished(row.phase) {
		if row.took > 0 {
			clock = FormatDuration(row.took)
		}
	} else {
		clock = FormatDuration(r.now().Sub(row.since))
	}
	text := fmt.Sprintf("%-*s  %-9s %6s", nameWidth, label, row.phase, clock)
	if row.message != "" {
		text += "  " + oneLine(row.message)
	}
	// A wrapped line would break the cursor arithmetic of the next frame.
	if runes := []rune(text); len(runes) > r.width-1 {
		text = string(runes[:r.width-2]) + "…"
	}
	color := ""
	switch {
	case row.phase == Failed || row.phase == Interrupted:
		color = ansiRed
	case row.phase == Warning || row.phase == Retrying || row.phase == RolledBack:
		color = ansiYellow
	case row.phase == Ready || row.phase == Started || row.phase == Removed || row.phase == Passed:
		color = ansiGreen
	case row.phase == Kept || row.phase == Skipped || row.phase == Resumed:
		color = ansiDim
	}
	if color == "" {
		return text
	}
	return color + text + ansiReset
}
