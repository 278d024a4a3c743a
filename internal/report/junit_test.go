package report

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
)

// The test's own view of JUnit XML, independent of the renderer's types.
type jSuites struct {
	XMLName  xml.Name `xml:"testsuites"`
	Name     string   `xml:"name,attr"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Time     string   `xml:"time,attr"`
	Suites   []jSuite `xml:"testsuite"`
}

type jSuite struct {
	Name      string  `xml:"name,attr"`
	Tests     int     `xml:"tests,attr"`
	Failures  int     `xml:"failures,attr"`
	Errors    int     `xml:"errors,attr"`
	Skipped   int     `xml:"skipped,attr"`
	Time      string  `xml:"time,attr"`
	Timestamp string  `xml:"timestamp,attr"`
	Props     []jProp `xml:"properties>property"`
	Cases     []jCase `xml:"testcase"`
}

type jProp struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type jCase struct {
	Name      string    `xml:"name,attr"`
	Classname string    `xml:"classname,attr"`
	Time      string    `xml:"time,attr"`
	Failure   *jProblem `xml:"failure"`
	Error     *jProblem `xml:"error"`
	Skipped   *struct {
		Message string `xml:"message,attr"`
	} `xml:"skipped"`
}

type jProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",chardata"`
}

func parseJUnit(t *testing.T, r *Result, lang string) jSuites {
	t.Helper()
	var b bytes.Buffer
	if err := RenderJUnit(&b, r, lang); err != nil {
		t.Fatal(err)
	}
	var doc jSuites
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("junit.xml does not parse: %v\n%s", err, b.String())
	}
	return doc
}

func TestJUnitStructure(t *testing.T) {
	doc := parseJUnit(t, sampleResult(), "nl")
	var names []string
	for _, s := range doc.Suites {
		names = append(names, s.Name)
	}
	if got := strings.Join(names, ","); got != "volumes,network,schema,config,migrate,reload,cleanup,acceptance" {
		t.Fatalf("suites = %s", got)
	}
	type counts struct{ tests, failures, errors, skipped int }
	want := map[string]counts{
		"volumes":    {1, 0, 0, 0}, // resumed, nothing recorded: one passing "step" case
		"network":    {2, 0, 0, 0},
		"schema":     {2, 0, 0, 0},
		"config":     {3, 2, 0, 0}, // copy ok, exec failed, check failed
		"migrate":    {3, 2, 0, 0}, // exec failed, check failed, rollback ok
		"reload":     {2, 0, 1, 1}, // restart interrupted -> error, check skipped
		"cleanup":    {1, 0, 0, 1}, // skipped step
		"acceptance": {2, 1, 0, 0},
	}
	var tot counts
	for _, s := range doc.Suites {
		w := want[s.Name]
		got := counts{s.Tests, s.Failures, s.Errors, s.Skipped}
		if got != w {
			t.Errorf("suite %s: counts %+v, want %+v", s.Name, got, w)
		}
		if len(s.Cases) != s.Tests {
			t.Errorf("suite %s: tests=%d but %d testcases", s.Name, s.Tests, len(s.Cases))
		}
		var f, e, sk int
		for _, c := range s.Cases {
			if c.Failure != nil {
				f++
			}
			if c.Error != nil {
				e++
			}
			if c.Skipped != nil {
				sk++
			}
		}
		if f != s.Failures || e != s.Errors || sk != s.Skipped {
			t.Errorf("suite %s: attributes %d/%d/%d do not match elements %d/%d/%d", s.Name, s.Failures, s.Errors, s.Skipped, f, e, sk)
		}
		tot.tests += s.Tests
		tot.failures += s.Failures
		tot.errors += s.Errors
		tot.skipped += s.Skipped
	}
	if got := (counts{doc.Tests, doc.Failures, doc.Errors, tot.skipped}); got != tot || tot != (counts{16, 5, 1, 2}) {
		t.Errorf("testsuites counts %+v, sum of suites %+v, want {16 5 1 2}", got, tot)
	}
	if doc.Time != "95.000" || doc.Name != "proeftuin: webshop / rollout" {
		t.Errorf("testsuites time=%q name=%q", doc.Time, doc.Name)
	}

	config := doc.Suites[3]
	if config.Time != "2.300" || config.Timestamp != "2026-03-12T08:15:11" {
		t.Errorf("config suite time=%q timestamp=%q", config.Time, config.Timestamp)
	}
	if c := config.Cases[1]; c.Name != "action 2: exec" || c.Classname != "webshop.config" || c.Failure == nil {
		t.Errorf("config case 2 = %+v", c)
	} else {
		if c.Failure.Type != "exec" || c.Failure.Message != "Exitcode 1" {
			t.Errorf("failure attributes = %q %q", c.Failure.Type, c.Failure.Message)
		}
		for _, want := range []string{"Opdracht: nginx -t", "unknown directive", "<script>alert('x')</script>", "red error"} {
			if !strings.Contains(c.Failure.Body, want) {
				t.Errorf("failure body lacks %q", want)
			}
		}
		if strings.Contains(c.Failure.Body, "\x1b") {
			t.Errorf("failure body has an escape character")
		}
	}
	if c := config.Cases[2]; c.Name != "check: config-valid" || c.Failure == nil || !strings.Contains(c.Failure.Message, "Verwacht: exitcode 0; Werkelijk: exitcode 1, stderr was: ") {
		t.Errorf("config check case = %+v", c)
	}
	if c := doc.Suites[4].Cases[2]; c.Name != "rollback 1: exec" || c.Failure != nil {
		t.Errorf("rollback case = %+v", c)
	}
	if c := doc.Suites[5].Cases[0]; c.Error == nil || c.Error.Type != "interrupted" {
		t.Errorf("interrupted action case = %+v", c)
	}
	acc := doc.Suites[7]
	if acc.Cases[1].Name != "db-isolated" || acc.Cases[1].Classname != "webshop.acceptance" || acc.Cases[1].Failure == nil {
		t.Errorf("acceptance case = %+v", acc.Cases[1])
	}
	if acc.Time != "2.035" {
		t.Errorf("acceptance time = %q, want 2.035", acc.Time)
	}
	foundImpl := false
	for _, p := range doc.Suites[2].Props {
		if p.Name == "implements" && p.Value == "FR-01" {
			foundImpl = true
		}
	}
	if !foundImpl {
		t.Errorf("schema suite lacks the implements property: %+v", doc.Suites[2].Props)
	}
}

// TestJUnitNamesDoNotDependOnLanguage: CI follows tests by name.
func TestJUnitNamesDoNotDependOnLanguage(t *testing.T) {
	nl, en := parseJUnit(t, sampleResult(), "nl"), parseJUnit(t, sampleResult(), "en")
	for i := range nl.Suites {
		for j := range nl.Suites[i].Cases {
			if a, b := nl.Suites[i].Cases[j].Name, en.Suites[i].Cases[j].Name; a != b {
				t.Errorf("case name nl %q, en %q", a, b)
			}
		}
	}
}

func TestJUnitStripsIllegalCharacters(t *testing.T) {
	r := &Result{Schema: 1, Environment: EnvInfo{Name: "e\x01nv"}, Steps: []Step{{
		ID: "s\x00tep", Status: Failed, Attempts: 1,
		Actions: []Action{{Kind: "exec\x02", Status: Failed, Stdout: "ok\x00\x0b\x1b[31mred\uFFFE\n", Error: "bad \xff byte"}},
		Checks:  []Check{{Name: "c\x1f", Status: Error, Expected: "a\x08b", Actual: "]]> </failure> &"}},
	}}}
	var b bytes.Buffer
	if err := RenderJUnit(&b, r, "en"); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, c := range out {
		if c < 0x20 && c != '\n' && c != '\t' && c != '\r' || c == 0xFFFE {
			t.Fatalf("illegal character %U in output", c)
		}
	}
	doc := parseJUnit(t, r, "en")
	s := doc.Suites[0]
	if s.Name != "step" || s.Failures != 1 || s.Errors != 1 {
		t.Errorf("suite = %+v", s)
	}
	if s.Cases[1].Error == nil || !strings.Contains(s.Cases[1].Error.Body, "]]> </failure> &") {
		t.Errorf("error body did not survive escaping: %+v", s.Cases[1].Error)
	}
}

func TestJUnitStepWithoutFailingCase(t *testing.T) {
	// A step that timed out between actions: its only action passed, but
	// the suite must still fail.
	r := &Result{Schema: 1, Steps: []Step{{ID: "slow", Status: Failed, Attempts: 1, Error: "step timed out after 2m",
		Actions: []Action{{Kind: "exec", Status: Passed}}}}}
	doc := parseJUnit(t, r, "en")
	s := doc.Suites[0]
	if s.Tests != 2 || s.Failures != 1 || s.Cases[1].Name != "step" || !strings.Contains(s.Cases[1].Failure.Message, "timed out") {
		t.Errorf("suite = %+v", s)
	}
	if doc.Failures != 1 {
		t.Errorf("testsuites failures = %d, want 1", doc.Failures)
	}
}
