package report

import (
	"fmt"
	"io"
)

// WritePaths lists the report files written, under a heading in the
// report's language; display shows a path as the user should see it.
func WritePaths(w io.Writer, files []string, lang string, display func(string) string) {
	if len(files) == 0 {
		return
	}
	fmt.Fprintln(w)
	if lang == "nl" {
		fmt.Fprintln(w, "Rapportbestanden:")
	} else {
		fmt.Fprintln(w, "Report files:")
	}
	for _, f := range files {
		fmt.Fprintf(w, "  %s\n", display(f))
	}
}
