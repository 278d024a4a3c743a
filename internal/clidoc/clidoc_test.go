package clidoc

import "testing"

func TestDescriptionMarkdown(t *testing.T) {
	got := descriptionMarkdown("Does a <thing>.\nMore.\n\nExamples:\n  proeftuin x\n  proeftuin y\n")
	want := "Does a \\<thing\\>.\nMore.\n\nExamples:\n```sh\nproeftuin x\nproeftuin y\n```\n\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
