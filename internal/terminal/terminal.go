// Package terminal says what a writer is: a terminal that takes colours,
// and how wide it is.
package terminal

import (
	"io"
	"os"

	"golang.org/x/term"
)

// Color reports whether w takes colours: only a terminal, never with
// NO_COLOR set or TERM=dumb.
func Color(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// Width is the terminal's width for wrapping, 0 (no wrapping) when w is
// not a terminal.
func Width(w io.Writer) uint {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0
	}
	if width, _, err := term.GetSize(int(f.Fd())); err == nil && width > 0 {
		return uint(width)
	}
	return 0
}
