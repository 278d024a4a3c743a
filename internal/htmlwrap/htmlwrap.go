// Package htmlwrap marks up text for HTML tables that a teacher reads on
// screen and on paper: a browser may break a line only between words,
// never inside one. Browsers also break after a hyphen or slash
// ("SEC-⏎01", "/www/⏎index.html") and, with overflow-wrap, anywhere;
// wrapping every word in a span that does not wrap rules both out.
package htmlwrap

import (
	"html"
	"html/template"
	"strings"
)

// CSS is the rule Words needs; both documents include it.
const CSS = `.w { white-space: nowrap; }`

// Words is s escaped, each word in <span class="w">, words separated by
// one space and lines by <br>. Runs of spaces collapse to one.
func Words(s string) template.HTML {
	var b strings.Builder
	for i, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if i > 0 {
			b.WriteString("<br>")
		}
		for j, w := range strings.Fields(line) {
			if j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(`<span class="w">`)
			b.WriteString(html.EscapeString(w))
			b.WriteString(`</span>`)
		}
	}
	return template.HTML(b.String())
}
