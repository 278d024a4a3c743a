package report

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestSchemaDocExample keeps the example in docs/report-schema.md honest:
// it must parse, and Summarize must reach the summary, verdicts and
// deviations it shows.
func TestSchemaDocExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/report-schema.md")
	if err != nil {
		t.Fatal("docs/report-schema.md must be present:", err)
	}
	s := string(doc)
	i := strings.Index(s, "## Example")
	if i < 0 {
		t.Fatal("no Example section")
	}
	s = s[i:]
	start := strings.Index(s, "```json\n")
	end := strings.Index(s[start+8:], "\n```")
	if start < 0 || end < 0 {
		t.Fatal("no json block in the Example section")
	}
	var r Result
	if err := json.Unmarshal([]byte(s[start+8:start+8+end]), &r); err != nil {
		t.Fatalf("example does not parse: %v", err)
	}
	if r.Schema != SchemaVersion {
		t.Errorf("example schema = %d", r.Schema)
	}
	want := r
	want.Matrix = append([]MatrixRow(nil), r.Matrix...)
	Summarize(&r)
	if r.Summary != want.Summary {
		t.Errorf("summary: example %+v, Summarize %+v", want.Summary, r.Summary)
	}
	if !reflect.DeepEqual(r.Matrix, want.Matrix) {
		t.Errorf("requirements: example %+v, Summarize %+v", want.Matrix, r.Matrix)
	}
	if !reflect.DeepEqual(r.Deviations, want.Deviations) || r.Status != want.Status {
		t.Errorf("deviations/status: example %+v %s, Summarize %+v %s", want.Deviations, want.Status, r.Deviations, r.Status)
	}
}
