package cli

import (
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/proeftuin/proeftuin/internal/cmdline"
)

func TestComplete(t *testing.T) {
	app := newApp(strings.NewReader(""), io.Discard, io.Discard)
	instances := func() []string { return []string{"lab-a", "lab-b", "other"} }
	for _, tc := range []struct {
		words, cur string
		want       []string
	}{
		{"", "st", []string{"status"}},
		{"up --name", "lab", []string{"lab-a", "lab-b"}},
		{"--name", "o", []string{"other"}},
		{"--name x up", "--na", []string{"--name"}},
		{"up --dir", "", nil}, // a folder: the shell completes it
		{"init --from", "web", []string{"webserver"}},
	} {
		got := cmdline.Complete(app, strings.Fields(tc.words), tc.cur, candidates(instances))
		if !slices.Equal(got, tc.want) {
			t.Errorf("complete(%q, %q) = %q, want %q", tc.words, tc.cur, got, tc.want)
		}
	}
}
