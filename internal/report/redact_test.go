package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestRedactEveryStringField(t *testing.T) {
	r := sampleResult()
	// Put the secret in places of every shape: nested pointer, slices of
	// strings, deep structs, the notes, a quoted spelling.
	r.Plan.Title = "plan with " + secret
	r.Steps[2].Actions[0].Command = []string{"mariadb", "-p" + secret}
	r.Steps[2].Checks[0].Actual = `{"password":"` + secret + `"}`
	r.Acceptance[0].Expected = "login as admin/" + secret
	r.Matrix[0].SatisfiedBy = append(r.Matrix[0].SatisfiedBy, secret)
	r.Deviations = append(r.Deviations, Deviation{Kind: "failed", Detail: "password " + secret})
	r.Images[0].Ref = "registry/" + secret + ":1"
	r.Notes = "Ik gebruikte het wachtwoord " + secret + "."
	r.Steps[0].Error = `quoted "a\"b" secret`
	statusBefore := r.Steps[3].Status

	Redact(r, []string{secret, "", `a"b`, "passed"})

	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(secret)) {
		t.Errorf("secret left in the document: %s", data)
	}
	if n := bytes.Count(data, []byte("(sensitive)")); n < 9 {
		t.Errorf("only %d placeholders, want at least 9", n)
	}
	if got := r.Steps[2].Actions[0].Command[1]; got != "-p(sensitive)" {
		t.Errorf("command arg = %q", got)
	}
	if got := r.Steps[3].Actions[1].Stdout; !strings.Contains(got, "mysql -p(sensitive) connected") {
		t.Errorf("stdout not redacted: %q", got[len(got)-40:])
	}
	if got := r.Steps[0].Error; got != `quoted "(sensitive)" secret` {
		t.Errorf("escaped spelling not redacted: %q", got)
	}
	// Status values are enumerations and stay, even when a "secret" equals one.
	if r.Steps[3].Status != statusBefore || r.Steps[1].Status != Passed {
		t.Errorf("a status was redacted")
	}
	// Nothing of it reaches any rendering.
	for _, f := range Formats {
		if out := render(t, r, f, "nl"); strings.Contains(out, secret) {
			t.Errorf("secret in the %s rendering", f)
		}
	}
}

func TestRedactNoSecrets(t *testing.T) {
	r, want := sampleResult(), sampleResult()
	Redact(r, nil)
	Redact(r, []string{""})
	Redact(nil, []string{"x"})
	if !reflect.DeepEqual(r, want) {
		t.Errorf("Redact without secrets changed the document")
	}
}

func TestRedactMapsAndPointers(t *testing.T) {
	type inner struct{ S *string }
	type doc struct {
		M  map[string]string
		MI map[string]inner
		P  *inner
		A  [2]string
		I  any
		s  string
	}
	p := "p-geheim"
	d := doc{
		M:  map[string]string{"k-geheim": "v-geheim", "plain": "x"},
		MI: map[string]inner{"a": {S: &p}},
		A:  [2]string{"geheim", "ok"},
		I:  "geheim",
		s:  "geheim",
	}
	d.P = &inner{S: &p}
	redactValue(reflect.ValueOf(&d).Elem(), []string{"geheim"})
	if d.M["k-(sensitive)"] != "v-(sensitive)" || d.M["plain"] != "x" || len(d.M) != 2 {
		t.Errorf("map = %v", d.M)
	}
	if p != "p-(sensitive)" {
		t.Errorf("string behind pointers = %q", p)
	}
	if d.A[0] != "(sensitive)" {
		t.Errorf("array = %v", d.A)
	}
	if d.s != "geheim" {
		t.Errorf("unexported field was touched")
	}
}

// TestRedactExcerptCutSecret: an HTTP body excerpt (probe.Excerpt) that
// cut a secret in two leaves no fragment of it in the result.
func TestRedactExcerptCutSecret(t *testing.T) {
	const secret = "s3cr3t-Passw0rd"
	for cut := 1; cut < len(secret); cut++ {
		r := &Result{Acceptance: []Check{{Name: "page", Actual: "body: <p>the password is " + secret[:cut] + "…"}}}
		Redact(r, []string{secret})
		if d := r.Acceptance[0].Actual; strings.HasSuffix(strings.TrimSuffix(d, "…"), secret[:cut]) {
			t.Errorf("cut at %d: %q keeps the fragment %q", cut, d, secret[:cut])
		}
	}
	r := &Result{Acceptance: []Check{{Name: "page", Actual: "body: plain text…"}}}
	Redact(r, []string{secret})
	if d := r.Acceptance[0].Actual; d != "body: plain text…" {
		t.Errorf("a text without a secret changed: %q", d)
	}
}
