package check

import (
	"bufio"
	"bytes"
	"io"
	"regexp"
)

// streamMatcher looks for a substring and a regular expression over
// everything written to it, holding only a small window, so a check sees
// all of a command's output while only the stored copy is capped. Write
// never fails; Result must be called once the stream ended.
type streamMatcher struct {
	contains string
	found    bool
	window   []byte // the last len(contains)-1 bytes, for a match across writes
	written  int64

	pw      *io.PipeWriter
	matched chan bool // the regexp's outcome, once the pipe is closed
}

// newStreamMatcher matches contains ("" for none) and re (nil for none).
func newStreamMatcher(contains string, re *regexp.Regexp) *streamMatcher {
	m := &streamMatcher{contains: contains, found: contains == ""}
	if re != nil {
		pr, pw := io.Pipe()
		m.pw, m.matched = pw, make(chan bool, 1)
		go func() {
			// MatchReader reads runes as they come and stops at the first
			// match; the rest is drained so the writer never blocks.
			ok := re.MatchReader(bufio.NewReaderSize(pr, 32<<10))
			_, _ = io.Copy(io.Discard, pr)
			m.matched <- ok
		}()
	}
	return m
}

func (m *streamMatcher) Write(p []byte) (int, error) {
	m.written += int64(len(p))
	if !m.found {
		buf := append(m.window, p...)
		if bytes.Contains(buf, []byte(m.contains)) {
			m.found, m.window = true, nil
		} else if keep := len(m.contains) - 1; len(buf) > keep {
			m.window = append(m.window[:0], buf[len(buf)-keep:]...)
		} else {
			m.window = buf
		}
	}
	if m.pw != nil {
		_, _ = m.pw.Write(p) // only fails once the reader is gone
	}
	return len(p), nil
}

// Result ends the stream and reports whether both the substring and the
// regexp were found.
func (m *streamMatcher) Result() bool {
	ok := m.found
	if m.pw != nil {
		m.pw.Close()
		ok = <-m.matched && ok
		m.pw = nil
	}
	return ok
}
