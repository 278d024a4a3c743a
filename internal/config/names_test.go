package config

import "testing"

func TestSuggest(t *testing.T) {
	for _, tc := range []struct {
		given      string
		candidates []string
		want       string
	}{
		{"wbe", []string{"db", "web"}, "web"}, // swapped letters
		{"Web", []string{"db", "web"}, "web"}, // case
		{"dbb", []string{"db", "web"}, "db"},  // one extra letter
		{"frontnd", []string{"frontend", "backend"}, "frontend"},
		{"cache", []string{"db", "web"}, ""},                           // nothing close
		{"", []string{"db"}, "db"},                                     // two insertions away
		{"retries", []string{"retry", "timeout", "rollback"}, "retry"}, // the same start
		{"depends", []string{"depends_on", "command"}, "depends_on"},   // the same start
		{"networking", []string{"network", "network_mode"}, ""},        // starts like two
		{"timeouts_all", []string{"timeout", "retry"}, "timeout"},      // the same start, all of the shorter
	} {
		if got := suggest(tc.given, tc.candidates); got != tc.want {
			t.Errorf("suggest(%q, %v) = %q, want %q", tc.given, tc.candidates, got, tc.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "abc", 0}, {"abc", "acb", 1}, {"abc", "ab", 1},
		{"kitten", "sitting", 3}, {"ca", "abc", 3}, {"héllo", "hello", 1},
	} {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
