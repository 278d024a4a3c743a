package cli

import (
	"reflect"
	"testing"
)

func TestSplitList(t *testing.T) {
	got := splitList([]string{"privileged, capabilities", "devices", ""})
	if want := []string{"privileged", "capabilities", "devices"}; !reflect.DeepEqual(got, want) {
		t.Errorf("splitList = %q, want %q", got, want)
	}
}
