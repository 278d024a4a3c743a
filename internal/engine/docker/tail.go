package docker

import "sync"

// tailBuffer is an io.Writer that keeps only the last limit bytes written
// to it, in a fixed ring: memory stays bounded however much is written.
// It is safe for concurrent use.
type tailBuffer struct {
	mu      sync.Mutex
	buf     []byte // len(buf) == limit once allocated
	limit   int
	start   int   // index of the oldest byte
	size    int   // bytes held, <= limit
	written int64 // bytes ever written
}

func newTailBuffer(limit int) *tailBuffer {
	if limit < 0 {
		limit = 0
	}
	return &tailBuffer{limit: limit}
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(p)
	t.written += int64(n)
	if t.limit == 0 {
		return n, nil
	}
	if t.buf == nil {
		// Grow lazily up to limit so small outputs stay small.
		t.buf = make([]byte, 0, min(t.limit, max(n, 512)))
	}
	if len(p) >= t.limit {
		// Only the last limit bytes of p survive.
		t.ensureFull()
		copy(t.buf, p[len(p)-t.limit:])
		t.start, t.size = 0, t.limit
		return n, nil
	}
	if len(t.buf) < t.limit && t.start == 0 && t.size == len(t.buf) {
		// Still filling linearly: append while it fits.
		if room := t.limit - len(t.buf); len(p) <= room {
			t.buf = append(t.buf, p...)
			t.size = len(t.buf)
			return n, nil
		}
		t.ensureFull()
	}
	// Ring write.
	for len(p) > 0 {
		end := (t.start + t.size) % t.limit
		chunk := p
		if room := t.limit - end; len(chunk) > room {
			chunk = chunk[:room]
		}
		copy(t.buf[end:], chunk)
		p = p[len(chunk):]
		t.size += len(chunk)
		if t.size > t.limit {
			t.start = (t.start + t.size - t.limit) % t.limit
			t.size = t.limit
		}
	}
	return n, nil
}

// ensureFull grows buf to its final length limit, keeping held bytes in
// place (they are always stored linearly from index 0 before this).
func (t *tailBuffer) ensureFull() {
	if len(t.buf) == t.limit {
		return
	}
	full := make([]byte, t.limit)
	copy(full, t.buf[:t.size])
	t.buf = full
}

// Bytes returns a copy of the bytes held, oldest first.
func (t *tailBuffer) Bytes() []byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]byte, t.size)
	if t.size == 0 {
		return out
	}
	if len(t.buf) < t.limit {
		copy(out, t.buf[:t.size])
		return out
	}
	n := copy(out, t.buf[t.start:min(t.start+t.size, t.limit)])
	copy(out[n:], t.buf[:t.size-n])
	return out
}

// Truncated reports whether bytes were dropped.
func (t *tailBuffer) Truncated() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.written > int64(t.size)
}
