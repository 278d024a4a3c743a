package design

import (
	"regexp"
	"testing"

	"github.com/proeftuin/proeftuin/internal/graph/graphtest"
)

// TestExposeShown: the ports a service exposes to the others are in the
// design, next to the published ones, in every format.
func TestExposeShown(t *testing.T) {
	env := graphtest.Webshop()
	env.Service("db").Expose = []string{"3306/tcp"}
	// HTML wraps each word in a span so long cells can break.
	shown := regexp.MustCompile(`expose(</span>)? (<span class="w">)?3306/tcp`)
	for _, format := range Formats {
		if out := render(t, env, format, "en"); !shown.MatchString(out) {
			t.Errorf("%s: the exposed port is not shown", format)
		}
	}
}
