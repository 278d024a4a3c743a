package report

import (
	"reflect"
	"testing"
)

func TestSummarizeSample(t *testing.T) {
	r := sampleResult()
	s := r.Summary
	wantSteps := Counts{Total: 7, Passed: 3, Failed: 1, Skipped: 1, RolledBack: 1, Interrupted: 1}
	if s.Steps != wantSteps {
		t.Errorf("steps = %+v, want %+v", s.Steps, wantSteps)
	}
	wantChecks := Counts{Total: 7, Passed: 3, Failed: 3, Skipped: 1}
	if s.Checks != wantChecks {
		t.Errorf("checks = %+v, want %+v", s.Checks, wantChecks)
	}
	q := s.Requirements
	if q.Total != 7 || q.Verified != 2 || q.Failed != 3 || q.NotVerified != 2 {
		t.Errorf("requirements = %+v, want 7 total, 2 verified, 3 failed, 2 not verified", q)
	}
	verdicts := map[string]string{}
	for _, row := range r.Matrix {
		verdicts[row.ID] = row.Verdict
	}
	want := map[string]string{
		"FR-01": Verified, "FR-02": Verified, "FR-03": VerdictFailed, "FR-04": VerdictFailed,
		"FR-05": NotVerified, "SEC-01": VerdictFailed, "NFR-01": NotVerified,
	}
	if !reflect.DeepEqual(verdicts, want) {
		t.Errorf("verdicts = %v, want %v", verdicts, want)
	}
	if r.Status != Interrupted {
		t.Errorf("status = %q, want interrupted", r.Status)
	}
	fr01 := r.Matrix[0]
	if !reflect.DeepEqual(fr01.VerifiedBy, []string{"shop-answers", "schema/tables"}) {
		t.Errorf("FR-01 verified_by = %v", fr01.VerifiedBy)
	}
	if !reflect.DeepEqual(fr01.Implemented, []string{"schema"}) {
		t.Errorf("FR-01 implemented_by = %v", fr01.Implemented)
	}
	var kinds []string
	for _, d := range r.Deviations {
		kinds = append(kinds, d.Step+":"+d.Kind)
	}
	wantKinds := []string{"volumes:resumed", "schema:retried", "config:failed", "migrate:rolled_back", "reload:interrupted", "cleanup:skipped"}
	if !reflect.DeepEqual(kinds, wantKinds) {
		t.Errorf("deviations = %v, want %v", kinds, wantKinds)
	}
	if d := r.Deviations[1]; d.Attempts != 2 {
		t.Errorf("retried deviation attempts = %d, want 2", d.Attempts)
	}
	if d := r.Deviations[3]; d.Rollback != Passed {
		t.Errorf("rolled_back deviation = %+v, want rollback passed", d)
	}
	if d := r.Deviations[2]; d.Detail != "" || d.Attempts != 1 {
		t.Errorf("failed deviation = %+v, want no detail (a failed check gives none) and 1 attempt", d)
	}
	en, _ := catalogue("en")
	if got, want := en.deviation(r.Deviations[3], r), "Step migrate was rolled back; the rollback succeeded. Did not pass: action 1 (exec), check migrated."; got != want {
		t.Errorf("rolled_back sentence = %q, want %q", got, want)
	}
}

func TestSummarizeIsIdempotent(t *testing.T) {
	r := sampleResult()
	before := *r
	before.Matrix = append([]MatrixRow(nil), r.Matrix...)
	Summarize(r)
	if !reflect.DeepEqual(r.Matrix, before.Matrix) || !reflect.DeepEqual(r.Deviations, before.Deviations) || r.Summary != before.Summary {
		t.Errorf("second Summarize changed the document")
	}
	Summarize(nil) // must not panic
}

func TestVerdictRules(t *testing.T) {
	cases := []struct {
		name string
		in   []Status
		want string
	}{
		{"no checks", nil, NotVerified},
		{"all passed", []Status{Passed, Passed}, Verified},
		{"one failed", []Status{Passed, Failed}, VerdictFailed},
		{"error counts as failed", []Status{Error}, VerdictFailed},
		{"failed beats skipped", []Status{Skipped, Failed}, VerdictFailed},
		{"one did not run", []Status{Passed, Skipped}, NotVerified},
		{"interrupted", []Status{Interrupted}, NotVerified},
	}
	for _, c := range cases {
		if got := verdict(c.in); got != c.want {
			t.Errorf("%s: verdict(%v) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

func TestOverallStatus(t *testing.T) {
	cases := []struct {
		name  string
		steps []Status
		acc   []Status
		want  Status
	}{
		{"empty", nil, nil, Passed},
		{"all passed", []Status{Passed}, []Status{Passed}, Passed},
		{"acceptance failed", []Status{Passed}, []Status{Failed}, Failed},
		{"rolled back", []Status{Passed, RolledBack}, nil, Failed},
		{"error only", []Status{Error}, nil, Error},
		{"failed beats error", []Status{Error, Failed}, nil, Failed},
		{"interrupted beats all", []Status{Failed, Interrupted}, []Status{Error}, Interrupted},
		{"skipped alone", []Status{Skipped}, nil, Passed},
	}
	for _, c := range cases {
		r := &Result{}
		for i, s := range c.steps {
			r.Steps = append(r.Steps, Step{ID: string(rune('a' + i)), Status: s, Attempts: 1})
		}
		for _, s := range c.acc {
			r.Acceptance = append(r.Acceptance, Check{Name: "c", Status: s})
		}
		Summarize(r)
		if r.Status != c.want {
			t.Errorf("%s: status = %q, want %q", c.name, r.Status, c.want)
		}
		if r.Schema != SchemaVersion {
			t.Errorf("%s: schema = %d, want %d", c.name, r.Schema, SchemaVersion)
		}
	}
}

func TestRollbackThatFailed(t *testing.T) {
	r := &Result{Steps: []Step{{ID: "s", Status: RolledBack, Attempts: 1, RollbackStatus: Failed}}}
	Summarize(r)
	if len(r.Deviations) != 1 || r.Deviations[0].Rollback != Failed {
		t.Fatalf("deviations = %+v, want one rolled_back with rollback failed", r.Deviations)
	}
	m, _ := catalogue("nl")
	if got, want := m.deviation(r.Deviations[0], r), "Stap s is teruggedraaid, maar het terugdraaien is mislukt."; got != want {
		t.Errorf("sentence = %q, want %q", got, want)
	}
}
