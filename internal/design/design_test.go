package design

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/graph/graphtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\ngot:\n%s", name, got)
	}
}

func render(t *testing.T, env *config.Environment, format, lang string) string {
	t.Helper()
	var sb strings.Builder
	if err := Write(&sb, env, format, Options{Lang: lang, Version: "test", Author: "Sanne de Vries", StudentID: "123456", Class: "ICT4A", Date: "12-03-2026"}); err != nil {
		t.Fatal(err)
	}
	return sb.String()
}

func TestGolden(t *testing.T) {
	for _, format := range Formats {
		for _, lang := range Langs {
			t.Run(format+"-"+lang, func(t *testing.T) {
				golden(t, "webshop."+lang+"."+format+".golden", render(t, graphtest.Webshop(), format, lang))
			})
		}
	}
}

func TestEmptyEnvironment(t *testing.T) {
	env := &config.Environment{Name: "leeg"}
	for _, format := range Formats {
		golden(t, "empty.nl."+format+".golden", render(t, env, format, "nl"))
	}
}

// TestNoSecret checks that the value of a sensitive variable appears in
// no rendering, even where the environment put it into a command.
func TestNoSecret(t *testing.T) {
	for _, format := range Formats {
		for _, lang := range Langs {
			out := render(t, graphtest.Webshop(), format, lang)
			if strings.Contains(out, graphtest.Secret) {
				t.Errorf("%s/%s: secret in output", format, lang)
			}
			marker := map[string]string{"nl": "(gevoelig)", "en": "(sensitive)"}[lang]
			if !strings.Contains(out, marker) {
				t.Errorf("%s/%s: no %s marker", format, lang, marker)
			}
		}
	}
}

// TestSecretWithMarkup: escaping must not change a secret's spelling
// before it is redacted.
func TestSecretWithMarkup(t *testing.T) {
	env := graphtest.Webshop()
	secret := `a<b&"c|d`
	env.Secrets = []string{secret}
	env.Steps[0].Actions[0].Exec.Command = []string{"echo", secret}
	env.Requirements[0].Title = "pw " + secret
	for _, format := range Formats {
		out := render(t, env, format, "en")
		for _, spelled := range []string{secret, `a&lt;b&amp;&#34;c|d`, `a&lt;b&amp;"c\|d`, `a<b&"c\|d`} {
			if strings.Contains(out, spelled) {
				t.Errorf("%s: secret spelled %q in output", format, spelled)
			}
		}
	}
}

func TestCatalogComplete(t *testing.T) {
	for _, lang := range Langs {
		for _, other := range Langs {
			for key := range catalog[other] {
				if _, ok := catalog[lang][key]; !ok {
					t.Errorf("%s lacks %q (present in %s)", lang, key, other)
				}
			}
		}
	}
	for _, k := range config.RequirementKinds {
		for _, lang := range Langs {
			if _, ok := catalog[lang]["kind."+k]; !ok {
				t.Errorf("%s lacks requirement kind %q", lang, k)
			}
		}
	}
}

func TestTraceability(t *testing.T) {
	d := Build(graphtest.Webshop(), Options{Lang: "en"})
	i := slices.IndexFunc(d.Sections, func(s *Section) bool { return s.ID == "trace" })
	tab := d.Sections[i].Table
	row := func(id string) []Cell {
		for _, r := range tab.Rows {
			if r[0].Items[0] == id {
				return r
			}
		}
		t.Fatalf("no row for %s", id)
		return nil
	}
	if got := row("FR-01"); !slices.Equal(got[2].Items, []string{"db", "web"}) || !slices.Equal(got[3].Items, []string{"shop-answers"}) || !slices.Equal(got[4].Items, []string{"schema"}) {
		t.Errorf("FR-01 row = %+v", got)
	}
	if got := row("NFR-01"); !got[2].Warn || !got[3].Warn || !got[4].Warn {
		t.Errorf("NFR-01 should be not covered everywhere: %+v", got)
	}
	// No step implements SEC-01 but a check verifies it: the design
	// itself meets it, as `lab verify` sees it (its check must pass
	// before the plan runs).
	if got := row("SEC-01"); got[2].Warn || got[3].Warn || got[4].Warn || got[4].Items[0] != "by the design" || got[2].Items[0] != "by the design" {
		t.Errorf("SEC-01: only its check covers it, met by the design: %+v", got)
	}
	if d.Sections[i].Note != "2 of 4 requirements are verified by an acceptance test." {
		t.Errorf("note = %q", d.Sections[i].Note)
	}
}

func TestMarkdownEscapesPipes(t *testing.T) {
	out := render(t, graphtest.Webshop(), "md", "en")
	if !strings.Contains(out, `Pages load in &lt; 1 s \| measured`) {
		t.Errorf("pipe or < not escaped:\n%s", out)
	}
	// Every table row has as many unescaped pipes as its header.
	cells := regexp.MustCompile(`(^|[^\\])\|`)
	var want int
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "|") {
			want = 0
			continue
		}
		n := len(cells.FindAllString(line, -1))
		if want == 0 {
			want = n
		} else if n != want {
			t.Errorf("row has %d cell separators, header %d: %s", n, want, line)
		}
	}
}

func TestHTMLSelfContained(t *testing.T) {
	out := render(t, graphtest.Webshop(), "html", "nl")
	for _, bad := range []string{"<script", "http://cdn", "https://", "<link", "@import", "<beta>"} {
		if strings.Contains(out, bad) {
			t.Errorf("HTML contains %q", bad)
		}
	}
	for _, want := range []string{`<html lang="nl">`, "@page", "size: A4", "<svg", "Traceerbaarheidsmatrix", "&lt;beta&gt;"} {
		if !strings.Contains(out, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}

func TestHandInParts(t *testing.T) {
	env := graphtest.Webshop()
	env.Hash = "5f1e"
	md := render(t, env, "md", "nl")
	for _, want := range []string{
		"- **Auteur:** Sanne de Vries", "- **Studentnummer:** 123456", "- **Klas:** ICT4A", "- **Datum:** 12-03-2026",
		"- **Hash van de definities:** `5f1e`", "## Inhoudsopgave", "## Inleiding", "### Must — moet", "### IP-plan",
		"| Netwerk | Subnet | Gateway | Intern | Adressen van de diensten |", "## Acceptatietestplan",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the design lacks %q", want)
		}
	}
	if strings.Contains(md, `'\''`) {
		t.Errorf("shell quoting noise in the design")
	}
	en := render(t, env, "md", "en")
	if !strings.Contains(en, "- **Author:** Sanne de Vries") || !strings.Contains(en, "## Contents") {
		t.Errorf("the English cover lacks its labels")
	}
	// Without the student's details the cover asks for them.
	var sb strings.Builder
	if err := Write(&sb, env, "md", Options{Lang: "nl"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sb.String(), "- **Auteur:** (nog in te vullen)") {
		t.Errorf("an empty author is not marked to fill in")
	}
}

// Two http checks that differ only in their body expectation read
// differently: every expectation is in words.
func TestExpectationsInWords(t *testing.T) {
	b := builder{lang: "nl", t: func(k string, a ...any) string { return text("nl", k, a...) }}
	one := b.expectations(config.Probe{Kind: "http", HTTP: &config.HTTPProbe{URL: "https://127.0.0.1:8443/", BodyContains: "shop"}})
	two := b.expectations(config.Probe{Kind: "http", HTTP: &config.HTTPProbe{URL: "https://127.0.0.1:8443/", BodyMatches: "^ok$", Header: map[string]string{"X-A": "1"}, JSONPath: "a.b", JSONEquals: "2", Status: 201}})
	if strings.Join(one, "|") != `GET https://127.0.0.1:8443/, vanaf de host|statuscode 200|de inhoud bevat "shop"` {
		t.Errorf("one = %q", one)
	}
	if strings.Join(two, "|") != `GET https://127.0.0.1:8443/, vanaf de host|statuscode 201|de inhoud past op /^ok$/|header X-A bevat "1"|JSON-pad a.b is "2"` {
		t.Errorf("two = %q", two)
	}
	zero := 0
	ex := b.expectations(config.Probe{Kind: "exec", Exec: &config.ExecProbe{Service: "db", Command: []string{"sh", "-c", "echo it's"}, Expect: config.Expect{ExitCode: &zero, StdoutContains: "it", StderrMatches: "^$"}}})
	if strings.Join(ex, "|") != `db: sh -c "echo it's"|exitcode 0|de uitvoer (stdout) bevat "it"|de foutuitvoer (stderr) past op /^$/` {
		t.Errorf("exec = %q", ex)
	}
}

func TestShellJoin(t *testing.T) {
	for in, want := range map[string]string{
		"a|b c":                  `a 'b c'`,
		"sh|-c|echo 'x' > $f":    `sh -c "echo 'x' > \$f"`,
		"printf|it's \"quoted\"": `printf "it's \"quoted\""`,
		"x|":                     `x ''`,
	} {
		if got := shellJoin(strings.Split(in, "|")); got != want {
			t.Errorf("shellJoin(%q) = %s, want %s", in, got, want)
		}
	}
}
