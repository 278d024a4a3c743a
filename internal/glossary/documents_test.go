package glossary_test

import (
	"bytes"
	"html"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/proeftuin/proeftuin/internal/check"
	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/design"
	"github.com/proeftuin/proeftuin/internal/glossary"
	"github.com/proeftuin/proeftuin/internal/phrase"
	"github.com/proeftuin/proeftuin/internal/report"
)

// TestDocumentsSpeakOneLanguage renders every document of every catalogue
// lab (and the demo lab) in both languages: the design in Markdown and
// HTML, and the report of a run of the lab's plan in Markdown, HTML and
// text. A Dutch document must not contain a term of the glossary's English
// column, and an English document none of the Dutch column, outside code,
// ids and what the lab's author wrote.
func TestDocumentsSpeakOneLanguage(t *testing.T) {
	labs, _ := filepath.Glob("../../environments/*/environment.hcl")
	labs = append(labs, "../../examples/hello/environment.hcl")
	if len(labs) < 5 {
		t.Fatalf("found %d labs", len(labs))
	}
	for _, f := range labs {
		dir := filepath.Dir(f)
		env, diags := config.Load(config.Options{Dir: dir})
		if diags.HasErrors() {
			t.Fatalf("%s: %s", dir, diags.Error())
		}
		user := userStrings(env)
		for _, lang := range []string{"nl", "en"} {
			docs := map[string]string{}
			for _, format := range design.Formats {
				var b bytes.Buffer
				if err := design.Write(&b, env, format, design.Options{Lang: lang, Version: "test", Author: "Sanne de Vries", StudentID: "1", Class: "4A", Date: "12-03-2026"}); err != nil {
					t.Fatal(err)
				}
				docs["design."+format] = b.String()
			}
			res := runOf(env)
			for _, format := range []string{"md", "html", "text"} {
				var b bytes.Buffer
				if err := report.Render(&b, res, format, lang); err != nil {
					t.Fatal(err)
				}
				docs["report."+format] = b.String()
			}
			for name, doc := range docs {
				prose := withoutUserText(plainText(doc, strings.HasSuffix(name, "html")), user)
				for _, term := range glossary.Foreign(lang, prose) {
					t.Errorf("%s %s (%s) has %q from the other language: …%s…", filepath.Base(dir), name, lang, term, around(prose, term))
				}
			}
		}
	}
}

// runOf is the result of a run of env's plan in which everything passed.
func runOf(env *config.Environment) *report.Result {
	r := &report.Result{Schema: report.SchemaVersion, Kind: "run", RunID: "r1",
		Tool:        report.Tool{Name: "proeftuin", Version: "test"},
		Environment: report.EnvInfo{Name: env.Name, Title: env.Title, Version: env.Version, Instance: env.Name, Hash: env.Hash},
		Status:      report.Passed, DurationMS: 60_000,
	}
	if env.Plan != nil {
		r.Plan = &report.PlanInfo{Name: env.Plan.Name, Title: env.Plan.Title, Hash: "5f1e"}
	}
	for _, s := range env.Steps {
		st := report.Step{ID: s.ID, Title: s.Title, Implements: s.Implements, Status: report.Passed, Attempts: 1, DurationMS: 9000, PlannedMS: s.Planned.Milliseconds()}
		for _, c := range s.Checks {
			st.Checks = append(st.Checks, checkOf(c))
		}
		r.Steps = append(r.Steps, st)
	}
	for _, c := range env.Checks {
		rc := checkOf(c)
		rc.Verifies = c.Verifies
		r.Acceptance = append(r.Acceptance, rc)
	}
	// One failed check finds every phrase a check can find, so each of
	// them is read in both languages too.
	var found phrase.Text
	for _, k := range report.PhraseKeys() {
		found = append(found, phrase.P(k, phraseArgs(k)...))
	}
	r.Acceptance = append(r.Acceptance, report.Check{Name: "every-phrase", Kind: "exec", Status: report.Failed, Attempts: 1,
		Expected: report.English(found), ExpectedText: found, Actual: report.English(found), ActualText: found})
	for _, q := range env.Requirements {
		row := report.MatrixRow{ID: q.ID, Title: q.Title, Kind: q.Kind, Priority: string(q.Priority)}
		for _, c := range env.Checks {
			if slices.Contains(c.Verifies, q.ID) {
				row.VerifiedBy = append(row.VerifiedBy, c.Name)
			}
		}
		r.Matrix = append(r.Matrix, row)
	}
	report.Summarize(r)
	return r
}

// checkOf is a passed check of c, with the expectation the check
// package gives it and that as what was found.
func checkOf(c *config.Check) report.Check {
	exp := check.Expectation(c.Probe)
	return report.Check{Name: c.Name, Title: c.Title, Kind: c.Probe.Kind, Status: report.Passed, Attempts: 1,
		Expected: report.English(exp), ExpectedText: exp, Actual: report.English(exp), ActualText: exp}
}

// phraseArgs are arguments that fill phrase k's verbs: "x" for each, so
// no argument can be mistaken for a term.
func phraseArgs(k string) []string {
	for n := 0; n < 5; n++ {
		args := make([]string, n)
		for i := range args {
			args[i] = "x"
		}
		if report.English(phrase.Of(phrase.P(k, args...))) != "" {
			return args
		}
	}
	return nil
}

var (
	styleRE = regexp.MustCompile(`(?s)<style>.*?</style>|<code>.*?</code>|<pre[^>]*>.*?</pre>|<title>.*?</title>`)
	tagRE   = regexp.MustCompile(`<[^>]*>`)
	fenceRE = regexp.MustCompile("(?s)```.*?```|`[^`\n]*`")
)

// plainText is what a reader reads: no markup, no code.
func plainText(doc string, isHTML bool) string {
	if isHTML {
		doc = styleRE.ReplaceAllString(doc, " ")
		doc = tagRE.ReplaceAllString(doc, " ")
		return html.UnescapeString(doc)
	}
	doc = fenceRE.ReplaceAllString(doc, " ")
	return strings.ReplaceAll(doc, `\`, "")
}

// userStrings is every text of the lab as its author wrote it: names,
// titles, descriptions, commands, values.
func userStrings(env *config.Environment) []string {
	seen := map[string]bool{}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.String:
			if s := strings.TrimSpace(v.String()); len(s) > 1 {
				seen[strings.Join(strings.Fields(s), " ")] = true
				for _, line := range strings.Split(s, "\n") {
					seen[strings.Join(strings.Fields(line), " ")] = true
				}
			}
		case reflect.Slice, reflect.Array:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		case reflect.Map:
			for _, k := range v.MapKeys() {
				walk(k)
				walk(v.MapIndex(k))
			}
		case reflect.Struct:
			if v.Type().PkgPath() != reflect.TypeOf(config.Environment{}).PkgPath() {
				return // hcl ranges, files
			}
			for i := 0; i < v.NumField(); i++ {
				if v.Type().Field(i).IsExported() && v.Field(i).Type() != reflect.TypeOf(map[string]*hcl.File{}) {
					walk(v.Field(i))
				}
			}
		}
	}
	walk(reflect.ValueOf(env))
	out := make([]string, 0, len(seen))
	for s := range seen {
		if s != "" {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

// withoutUserText removes what the author wrote, and command-line flags
// (code, even in a sentence).
func withoutUserText(text string, user []string) string {
	text = " " + strings.Join(strings.Fields(text), " ") + " "
	for _, s := range user {
		text = strings.ReplaceAll(text, s, " ")
	}
	return flagRE.ReplaceAllString(text, " ")
}

var flagRE = regexp.MustCompile(`--[a-z][a-z-]*`)

func around(text, term string) string {
	i := strings.Index(strings.ToLower(text), strings.ToLower(term))
	if i < 0 {
		return ""
	}
	from, to := max(0, i-60), min(len(text), i+len(term)+60)
	return strings.Join(strings.Fields(text[from:to]), " ")
}
