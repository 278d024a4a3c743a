package report

import (
	"strings"
	"testing"
	"time"
)

func TestReflectionsPlaceHeadings(t *testing.T) {
	m, _ := catalogue("nl")
	notes := "Vooraf een zin.\n\n# Wat liep er anders dan gepland?\nDe migratie faalde.\n\n## Oorzaak\nEen tikfout in de tabelnaam.\n\n```sh\n# geen kop\n```\n\n### Advies aan de klant\nNeem een back-up.\n\n# Wat zou ik een volgende keer anders doen\nEerst testen.\n\n# Tijdlijn\n09:00 begonnen\n"
	qs, other := reflections(notes, m)
	want := []string{"De migratie faalde.", "Een tikfout in de tabelnaam.\n\n```sh\n# geen kop\n```", "Eerst testen.", "Neem een back-up."}
	for i, q := range qs {
		if q.Text != want[i] {
			t.Errorf("%s: %q, want %q", q.Question, q.Text, want[i])
		}
	}
	if other != "Vooraf een zin.\n\n# Tijdlijn\n09:00 begonnen" {
		t.Errorf("other = %q", other)
	}
	en, _ := catalogue("en")
	qs, _ = reflections("## What went differently\nx\n## Why\ny\n## Lessons learned\nz\n## Recommendations for the client\nw\n", en)
	for i, w := range []string{"x", "y", "z", "w"} {
		if qs[i].Text != w {
			t.Errorf("en %d: %q, want %q", i, qs[i].Text, w)
		}
	}
}

// Without notes the evaluation asks the four questions and leaves room;
// with notes each answer is under its question, in both formats.
func TestEvaluationReflection(t *testing.T) {
	r := sampleResult()
	r.Notes = ""
	for _, format := range []string{"md", "html"} {
		out := normalized(t, r, format, "nl")
		for _, q := range []string{"Wat ging er anders dan gepland?", "Wat was de oorzaak?", "Wat zou je een volgende keer anders doen?", "Welk advies geef je de opdrachtgever?", "(nog niet beantwoord)", "--notes"} {
			if !strings.Contains(out, q) {
				t.Errorf("%s without notes lacks %q", format, q)
			}
		}
	}
	r.Notes = "## Advies\nMeer geheugen.\n\n## Oorzaak\nTe weinig geheugen.\n"
	for _, format := range []string{"md", "html"} {
		out := normalized(t, r, format, "nl")
		cause, advice := strings.Index(out, "Wat was de oorzaak?"), strings.Index(out, "Welk advies geef je de opdrachtgever?")
		a, b := strings.Index(out, "Te weinig geheugen."), strings.Index(out, "Meer geheugen.")
		if !(cause < a && a < advice && advice < b) {
			t.Errorf("%s: answers not under their questions (%d %d %d %d)", format, cause, a, advice, b)
		}
	}
}

func TestPlannedAgainstActual(t *testing.T) {
	r := sampleResult()
	for _, format := range []string{"md", "html"} {
		out := normalized(t, r, format, "nl")
		for _, want := range []string{"Gepland", "Verschil", "Langer dan gepland: schema — Database van de shop aanmaken (+2,4 s).", "1 min 05 s"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %q", format, want)
			}
		}
	}
	r.Steps[2].PlannedMS = 10_000
	if out := normalized(t, r, "md", "en"); !strings.Contains(out, "No step took longer than planned.") {
		t.Errorf("no overrun not said:\n%s", out)
	}
	for i := range r.Steps {
		r.Steps[i].PlannedMS = 0
	}
	if out := normalized(t, r, "md", "nl"); strings.Contains(out, "Gepland") {
		t.Errorf("a plan without estimates shows a planned column")
	}
}

func TestAmendKeepsTheRun(t *testing.T) {
	r := sampleResult()
	r.Author, r.Notes = "", ""
	before := r.Environment.Hash
	at := time.Date(2026, 3, 13, 9, 30, 0, 0, time.UTC)
	r.Amend("Sam de Vries", "# Oorzaak\nx\n", at)
	if r.Author != "Sam de Vries" || r.Notes == "" || r.Environment.Hash != before || r.Plan.Hash != sampleResult().Plan.Hash {
		t.Errorf("amend changed the run or did not set the fields: %+v", r.Environment)
	}
	if len(r.Amended) != 1 || strings.Join(r.Amended[0].Fields, ",") != "author,notes" || !r.Amended[0].At.Equal(at) {
		t.Errorf("amended = %+v", r.Amended)
	}
	for _, format := range []string{"md", "html"} {
		if out := normalized(t, r, format, "nl"); !strings.Contains(out, "Aangevuld na de uitvoering") || !strings.Contains(out, "auteur, reflectie") {
			t.Errorf("%s does not say what was added afterwards", format)
		}
	}
	r.Amend("", "", at)
	if len(r.Amended) != 1 {
		t.Errorf("an empty amendment was recorded")
	}
}

// TestOtherNotesKeepTheOutline: a heading of the notes that matches no
// question ("# Tijdlijn") is written under "#### Overige aantekeningen" as
// a level-5 heading in report.md, not as a level-1 heading that would end
// the evaluation in the document's outline; fenced code is left alone.
func TestOtherNotesKeepTheOutline(t *testing.T) {
	r := sampleResult()
	r.Notes = "# Tijdlijn\n09:00 begonnen\n\n## Wat ging goed\nAlles.\n\n```sh\n# geen kop\n```\n"
	out := normalized(t, r, "md", "nl")
	for _, want := range []string{"\n##### Tijdlijn\n", "\n##### Wat ging goed\n", "\n# geen kop\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	for _, bad := range []string{"\n# Tijdlijn", "\n## Wat ging goed"} {
		if strings.Contains(out, bad) {
			t.Errorf("report.md has the notes' heading %q at its own level", bad)
		}
	}
}
