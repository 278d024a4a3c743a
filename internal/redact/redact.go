// Package redact hides the values of sensitive variables in everything the
// tool prints: diagnostics, plans, logs and reports.
package redact

import (
	"encoding/json"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Placeholder replaces every secret.
const Placeholder = "(sensitive)"

// forms returns the spellings under which a secret can show up in output:
// as is, escaped inside a quoted HCL/Go string (a source line in a
// diagnostic) and escaped inside a JSON string. Longest first, so a longer
// secret is replaced before a shorter one that it contains.
func forms(secrets []string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, s := range secrets {
		add(s)
		q := strconv.Quote(s)
		add(q[1 : len(q)-1])
		if b, err := json.Marshal(s); err == nil {
			add(string(b[1 : len(b)-1]))
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

// String returns s with every secret replaced by Placeholder.
func String(s string, secrets []string) string {
	fs := forms(secrets)
	if len(fs) == 0 {
		return s
	}
	pairs := make([]string, 0, 2*len(fs))
	for _, f := range fs {
		pairs = append(pairs, f, Placeholder)
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// Func returns a function hiding secrets, nil when there is none.
func Func(secrets []string) func(string) string {
	if len(secrets) == 0 {
		return nil
	}
	return func(v string) string { return String(v, secrets) }
}

// Write writes b to w with every secret replaced; errors of w are
// ignored (for output that has nowhere else to go).
func Write(w io.Writer, b []byte, secrets []string) {
	if len(secrets) == 0 {
		_, _ = w.Write(b)
		return
	}
	_, _ = io.WriteString(w, String(string(b), secrets))
}

// Writer returns a writer that copies to w with every secret replaced.
// A secret split over two Write calls is still found: bytes that could be
// the start of a secret are held back until the next Write or Close.
// Close flushes what is held back; it does not close w.
func Writer(w io.Writer, secrets []string) io.WriteCloser {
	return &writer{w: w, forms: forms(secrets)}
}

type writer struct {
	w     io.Writer
	forms []string
	buf   []byte
}

func (r *writer) Write(p []byte) (int, error) {
	if len(r.forms) == 0 {
		return r.w.Write(p)
	}
	r.buf = append(r.buf, p...)
	out, rest := r.scan(false)
	r.buf = append(r.buf[:0], rest...)
	if len(out) > 0 {
		if _, err := r.w.Write(out); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

func (r *writer) Close() error {
	if len(r.buf) == 0 {
		return nil
	}
	out, _ := r.scan(true)
	r.buf = r.buf[:0]
	_, err := r.w.Write(out)
	return err
}

// scan replaces secrets in r.buf. Unless final, it stops at the first
// position where the remaining bytes are a proper prefix of a secret, and
// returns those bytes as rest.
func (r *writer) scan(final bool) (out, rest []byte) {
	b := r.buf
	out = make([]byte, 0, len(b))
	i := 0
outer:
	for i < len(b) {
		tail := string(b[i:])
		for _, f := range r.forms {
			if strings.HasPrefix(tail, f) {
				out = append(out, Placeholder...)
				i += len(f)
				continue outer
			}
		}
		if !final {
			for _, f := range r.forms {
				if len(tail) < len(f) && strings.HasPrefix(f, tail) {
					return out, b[i:]
				}
			}
		}
		out = append(out, b[i])
		i++
	}
	return out, nil
}

// Tail is String for the tail of a longer text whose beginning was cut
// off (output kept up to a cap): besides every whole secret, a fragment
// at the very start that could be the end of a secret cut by the cap is
// masked too (the longest start of s that is a proper suffix of a
// secret). Overlapping and adjacent matches become one Placeholder.
func Tail(s string, secrets []string) string { return mask(s, forms(secrets), true, false) }

// Head is String for the head of a longer text whose end was cut off
// (an excerpt): a fragment at the very end that could be the start of a
// cut secret is masked too.
func Head(s string, secrets []string) string { return mask(s, forms(secrets), false, true) }

func mask(s string, fs []string, cutStart, cutEnd bool) string {
	if len(fs) == 0 || s == "" {
		return s
	}
	marked := make([]bool, len(s))
	mark := func(from, to int) {
		for i := from; i < to; i++ {
			marked[i] = true
		}
	}
	for _, f := range fs {
		for i := 0; i < len(s); {
			j := strings.Index(s[i:], f)
			if j < 0 {
				break
			}
			mark(i+j, i+j+len(f))
			i += j + 1
		}
		if cutStart {
			for k := min(len(f)-1, len(s)); k >= 1; k-- {
				if strings.HasPrefix(s, f[len(f)-k:]) {
					mark(0, k)
					break
				}
			}
		}
		if cutEnd {
			for k := min(len(f)-1, len(s)); k >= 1; k-- {
				if strings.HasSuffix(s, f[:k]) {
					mark(len(s)-k, len(s))
					break
				}
			}
		}
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if !marked[i] {
			b.WriteByte(s[i])
			i++
			continue
		}
		b.WriteString(Placeholder)
		for i < len(s) && marked[i] {
			i++
		}
	}
	return b.String()
}

// Error hides secrets in err's text; errors.Is and errors.As still see
// the original. Without secrets or an error it returns err.
func Error(err error, secrets []string) error {
	if len(secrets) == 0 || err == nil {
		return err
	}
	return &redactedError{msg: String(err.Error(), secrets), err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
