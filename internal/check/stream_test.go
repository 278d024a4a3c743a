package check

import (
	"regexp"
	"strings"
	"testing"
)

// TestStreamMatcherSeesAllOutput: the marker before and after 100 kB of
// filler, written in chunks that cut it in two, is found (issue 17,
// trial 6: only the last 64 KiB used to be searched).
func TestStreamMatcherSeesAllOutput(t *testing.T) {
	filler := strings.Repeat("x", 100_000)
	cases := []struct {
		name, out, contains, re string
		want                    bool
	}{
		{"before", "HEADER-LINE\n" + filler, "HEADER-LINE", `(?m)^HEADER-LINE$`, true},
		{"after", filler + "\nTAIL-LINE\n", "TAIL-LINE", `TAIL-LINE\n$`, true},
		{"absent", filler, "HEADER-LINE", "", false},
		{"regexp absent", "HEADER-LINE" + filler, "HEADER-LINE", "^x", false},
	}
	for _, c := range cases {
		for _, chunk := range []int{1, 3, 7, 4096, 1 << 20} {
			var re *regexp.Regexp
			if c.re != "" {
				re = regexp.MustCompile(c.re)
			}
			m := newStreamMatcher(c.contains, re)
			for i := 0; i < len(c.out); i += chunk {
				m.Write([]byte(c.out[i:min(i+chunk, len(c.out))]))
			}
			if got := m.Result(); got != c.want {
				t.Errorf("%s, chunks of %d: %v, want %v", c.name, chunk, got, c.want)
			}
		}
	}
	if !newStreamMatcher("", nil).Result() {
		t.Error("no expectation must match")
	}
}
