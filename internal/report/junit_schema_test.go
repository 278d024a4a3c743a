package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// junit10 is the structure of junit-10.xsd (Jenkins' xUnit plugin):
// for each element the attributes it allows, the ones it requires, the
// child elements it allows and whether it may hold text. The schema file
// itself is not in this repository; this table is written from it.
type xsdElement struct {
	attrs    []string
	required []string
	children []string
	text     bool
}

var junit10 = map[string]xsdElement{
	"testsuites": {
		attrs:    []string{"name", "time", "tests", "failures", "errors"},
		children: []string{"testsuite"},
	},
	"testsuite": {
		attrs:    []string{"name", "tests", "failures", "errors", "group", "time", "skipped", "timestamp", "hostname", "id", "package", "file", "log", "url"},
		required: []string{"name", "tests", "failures", "errors"},
		children: []string{"testsuite", "properties", "testcase", "system-out", "system-err"},
	},
	"properties": {children: []string{"property"}},
	"property":   {attrs: []string{"name", "value"}, required: []string{"name", "value"}},
	"testcase": {
		attrs:    []string{"name", "time", "classname", "group"},
		required: []string{"name"},
		children: []string{"skipped", "error", "failure", "rerunFailure", "rerunError", "flakyFailure", "flakyError", "system-out", "system-err"},
	},
	"failure":    {attrs: []string{"type", "message"}, text: true},
	"error":      {attrs: []string{"type", "message"}, text: true},
	"skipped":    {attrs: []string{"type", "message"}, text: true},
	"system-out": {text: true},
	"system-err": {text: true},
}

// surefireTime is the schema's SUREFIRE_TIME pattern, anchored as XSD
// patterns are.
var surefireTime = regexp.MustCompile(`^(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)?$`)

// checkJUnit10 returns every way doc breaks junit-10.xsd's structure.
func checkJUnit10(doc []byte) []string {
	var problems []string
	bad := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var stack []string
	roots := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			bad("not well-formed: %v", err)
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			el, known := junit10[name]
			path := strings.Join(append(slices.Clone(stack), name), ">")
			switch {
			case !known:
				bad("%s: element not in the schema", path)
			case len(stack) == 0:
				roots++
				if name != "testsuites" && name != "testsuite" {
					bad("%s: not a root element", path)
				}
			default:
				if parent := junit10[stack[len(stack)-1]]; !slices.Contains(parent.children, name) {
					bad("%s: not allowed inside %s", path, stack[len(stack)-1])
				}
			}
			seen := map[string]bool{}
			for _, a := range t.Attr {
				seen[a.Name.Local] = true
				if !slices.Contains(el.attrs, a.Name.Local) {
					bad("%s: attribute %s not allowed", path, a.Name.Local)
				}
				if a.Name.Local == "time" && (name == "testsuite" || name == "testsuites") && !surefireTime.MatchString(a.Value) {
					bad("%s: time %q does not match SUREFIRE_TIME", path, a.Value)
				}
			}
			for _, r := range el.required {
				if !seen[r] {
					bad("%s: required attribute %s missing", path, r)
				}
			}
			stack = append(stack, name)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 && !junit10[stack[len(stack)-1]].text && strings.TrimSpace(string(t)) != "" {
				bad("%s: text not allowed", strings.Join(stack, ">"))
			}
		}
	}
	if roots != 1 {
		bad("%d root elements, want 1", roots)
	}
	return problems
}

// The checker itself must catch what the issue found: a skipped count on
// testsuites, and the other ways out of the schema.
func TestJUnit10CheckerCatches(t *testing.T) {
	for _, c := range []struct{ doc, want string }{
		{`<testsuites skipped="1"></testsuites>`, "attribute skipped not allowed"},
		{`<testsuites><testsuite tests="1" failures="0" errors="0"/></testsuites>`, "required attribute name missing"},
		{`<testsuites><testsuite name="a" tests="1" failures="0" errors="0"><testcase/></testsuite></testsuites>`, "testcase: required attribute name missing"},
		{`<testsuites><testcase name="x"/></testsuites>`, "not allowed inside testsuites"},
		{`<testsuites><testsuite name="a" tests="1" failures="0" errors="0" time="1s"/></testsuites>`, "does not match SUREFIRE_TIME"},
		{`<testsuites><testsuite name="a" tests="1" failures="0" errors="0"><properties><property name="x"/></properties></testsuite></testsuites>`, "required attribute value missing"},
		{`<testsuites><testsuite name="a" tests="1" failures="0" errors="0"><testcase name="c"><failure/><reason/></testcase></testsuite></testsuites>`, "element not in the schema"},
		{`<testsuites>text</testsuites>`, "text not allowed"},
	} {
		got := strings.Join(checkJUnit10([]byte(c.doc)), "\n")
		if !strings.Contains(got, c.want) {
			t.Errorf("%s: problems %q, want one with %q", c.doc, got, c.want)
		}
	}
	if p := checkJUnit10([]byte(`<testsuites name="n" time="1.250"><testsuite name="a" tests="1" failures="1" errors="0" skipped="0" time="0.5"><testcase name="c" classname="k"><failure message="m" type="t">body</failure></testcase></testsuite></testsuites>`)); len(p) > 0 {
		t.Errorf("a valid document has problems: %v", p)
	}
}

// TestJUnitValidAgainstJUnit10 renders the sample result, a re-render of
// the golden result.json and a few edge cases in both languages, and
// checks each against the schema's structure. Jenkins shows a failure's
// message attribute and its text; GitLab only the text: every failure and
// error carries a message, and a check's text holds Expected and Actual.
func TestJUnitValidAgainstJUnit10(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "result.json.golden"))
	if err != nil {
		t.Fatal(err)
	}
	var golden Result
	if err := json.Unmarshal(raw, &golden); err != nil {
		t.Fatal(err)
	}
	results := map[string]*Result{
		"sample":  sampleResult(),
		"golden":  &golden,
		"empty":   {Schema: 1},
		"timeout": {Schema: 1, Steps: []Step{{ID: "slow", Status: Failed, Attempts: 1, Error: "step timed out after 2m", Actions: []Action{{Kind: "exec", Status: Passed}}}}},
	}
	for name, r := range results {
		for _, lang := range []string{"nl", "en"} {
			var b bytes.Buffer
			if err := RenderJUnit(&b, r, lang); err != nil {
				t.Fatal(err)
			}
			for _, p := range checkJUnit10(b.Bytes()) {
				t.Errorf("%s/%s: %s", name, lang, p)
			}
			doc := parseJUnit(t, r, lang)
			m, _ := catalogue(lang)
			for _, s := range doc.Suites {
				for _, c := range s.Cases {
					for _, p := range []*jProblem{c.Failure, c.Error} {
						if p == nil {
							continue
						}
						if p.Message == "" || strings.TrimSpace(p.Body) == "" {
							t.Errorf("%s/%s: %s/%s: message %q, text %q: a CI shows nothing", name, lang, s.Name, c.Name, p.Message, p.Body)
						}
						if strings.HasPrefix(p.Message, m.T("expected")+":") &&
							!(strings.Contains(p.Body, m.T("expected")+":") && strings.Contains(p.Body, m.T("actual")+":")) {
							t.Errorf("%s/%s: %s/%s: the text lacks Expected/Actual: %q", name, lang, s.Name, c.Name, p.Body)
						}
					}
				}
			}
		}
	}
}
