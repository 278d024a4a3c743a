package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The JUnit XML shape GitLab, Jenkins and most CI systems read:
// testsuites > testsuite > testcase > failure|error|skipped, within the
// structure of junit-10.xsd, the schema Jenkins' xUnit plugin validates
// against. That schema allows no skipped count on testsuites (only on each
// testsuite), so the skipped total lives there alone. Jenkins shows a
// failure's message attribute and its text; GitLab shows only the text, so
// the text always begins with what the message says.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	ID         int             `xml:"id,attr"`
	Package    string          `xml:"package,attr,omitempty"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",cdata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr,omitempty"`
}

// RenderJUnit writes junit.xml: one testsuite per step (its actions,
// checks and rollback actions as testcases) and a testsuite "acceptance"
// for the acceptance checks. Test names do not depend on lang, so a CI
// system can follow a test across runs; only failure texts are translated.
func RenderJUnit(w io.Writer, r *Result, lang string) error {
	m, err := catalogueFor(r, lang)
	if err != nil {
		return err
	}
	doc := buildJUnit(r, m)
	return writeXML(w, doc)
}

// writeXML writes v as an indented XML document with its header and a
// final newline.
func writeXML(w io.Writer, v any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func buildJUnit(r *Result, m messages) junitSuites {
	env := xmlText(r.Environment.Name)
	name := "proeftuin"
	if env != "" {
		name += ": " + env
	}
	if r.Plan != nil && r.Plan.Name != "" {
		name += " / " + xmlText(r.Plan.Name)
	}
	doc := junitSuites{Name: name}
	prefix := ""
	if env != "" {
		prefix = env + "."
	}
	var totalMS int64
	for i, s := range r.Steps {
		id := xmlText(s.ID)
		class := prefix + id
		suite := junitSuite{Name: id, ID: i, Package: env, Time: seconds(s.DurationMS)}
		if !s.Started.IsZero() {
			suite.Timestamp = s.Started.UTC().Format("2006-01-02T15:04:05")
		}
		if s.Title != "" {
			suite.Properties = append(suite.Properties, junitProperty{"title", xmlText(s.Title)})
		}
		if len(s.Implements) > 0 {
			suite.Properties = append(suite.Properties, junitProperty{"implements", xmlText(strings.Join(s.Implements, ","))})
		}
		suite.Properties = append(suite.Properties,
			junitProperty{"status", xmlText(string(s.Status))},
			junitProperty{"attempts", strconv.Itoa(s.Attempts)})
		for j, a := range s.Actions {
			suite.Cases = append(suite.Cases, actionCase(m, class, fmt.Sprintf("action %d: %s", j+1, xmlText(a.Kind)), a))
		}
		for _, c := range s.Checks {
			suite.Cases = append(suite.Cases, checkCase(m, class, "check: "+xmlText(c.Name), c))
		}
		for j, a := range s.Rollback {
			suite.Cases = append(suite.Cases, actionCase(m, class, fmt.Sprintf("rollback %d: %s", j+1, xmlText(a.Kind)), a))
		}
		if c, ok := stepCase(m, class, s, suite.Cases); ok {
			suite.Cases = append(suite.Cases, c)
		}
		suite.count()
		doc.Suites = append(doc.Suites, suite)
		totalMS += max(s.DurationMS, 0)
	}
	if len(r.Acceptance) > 0 {
		suite := junitSuite{Name: "acceptance", ID: len(r.Steps), Package: env}
		var ms int64
		for _, c := range r.Acceptance {
			suite.Cases = append(suite.Cases, checkCase(m, prefix+"acceptance", xmlText(c.Name), c))
			ms += max(c.DurationMS, 0)
		}
		suite.Time = seconds(ms)
		suite.count()
		doc.Suites = append(doc.Suites, suite)
		totalMS += ms
	}
	for _, s := range doc.Suites {
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
	}
	if r.DurationMS > 0 {
		totalMS = r.DurationMS
	}
	doc.Time = seconds(totalMS)
	return doc
}

func (s *junitSuite) count() {
	s.Tests = len(s.Cases)
	for _, c := range s.Cases {
		switch {
		case c.Failure != nil:
			s.Failures++
		case c.Error != nil:
			s.Errors++
		case c.Skipped != nil:
			s.Skipped++
		}
	}
}

// outcome fills in a testcase's failure, error or skipped element.
func outcome(c *junitCase, st Status, kind, message, body string, m messages) {
	message = shorten(oneLine(message), 300)
	kind = xmlText(kind)
	if st == Interrupted {
		message = m.T("junit.interrupted")
	}
	switch st {
	case Passed:
	case Skipped:
		c.Skipped = &junitSkipped{Message: message}
	case Failed, RolledBack:
		c.Failure = &junitProblem{Message: message, Type: kind, Body: body}
	case Interrupted:
		c.Error = &junitProblem{Message: message, Type: "interrupted", Body: body}
	default: // Error and anything unknown
		c.Error = &junitProblem{Message: message, Type: kind, Body: body}
	}
}

// newCase starts the case of an action or check. A passed or skipped one
// needs nothing more: done is true and c is complete.
func newCase(class, name string, durationMS int64, status Status) (c junitCase, done bool) {
	c = junitCase{Name: name, Classname: class, Time: seconds(durationMS)}
	switch status {
	case Passed:
		return c, true
	case Skipped:
		c.Skipped = &junitSkipped{}
		return c, true
	}
	return c, false
}

func actionCase(m messages, class, name string, a Action) junitCase {
	c, done := newCase(class, name, a.DurationMS, a.Status)
	if done {
		return c
	}
	var body strings.Builder
	why := m.actionWhy(a)
	msg := why
	if ec := exitCode(a); ec != "" {
		fmt.Fprintf(&body, "%s: %s\n", m.T("action.exit_code"), ec)
		if msg == "" {
			msg = m.T("action.exit_code") + " " + ec
		}
	}
	if msg == "" {
		msg = m.T("junit.failed", name)
	}
	if len(a.Command) > 0 {
		fmt.Fprintf(&body, "%s: %s\n", m.T("action.command"), xmlText(commandLine(a.Command)))
	}
	if why != "" {
		fmt.Fprintf(&body, "%s: %s\n", m.T("step.error"), xmlText(why))
	}
	for _, o := range []struct{ label, text string }{{m.T("action.stdout"), a.Stdout}, {m.T("action.stderr"), a.Stderr}} {
		if t, _ := tail(o.text, tailLines); t != "" {
			fmt.Fprintf(&body, "%s:\n%s\n", o.label, t)
		}
	}
	text := body.String()
	if why != "" || exitCode(a) == "" { // the exit code line already says it
		text = withMessage(text, msg)
	}
	outcome(&c, a.Status, a.Kind, msg, text, m)
	return c
}

// withMessage is body beginning with msg unless body already says it:
// GitLab ignores the message attribute and shows only the text. A check's
// text needs no such line: it is the Expected and Actual the message sums up.
func withMessage(body, msg string) string {
	msg = shorten(oneLine(msg), 300)
	if msg == "" || strings.Contains(body, msg) {
		return body
	}
	if body == "" {
		return msg
	}
	return msg + "\n" + body
}

func checkCase(m messages, class, name string, ch Check) junitCase {
	c, done := newCase(class, name, ch.DurationMS, ch.Status)
	if done {
		return c
	}
	exp, act := orDash(xmlText(m.checkExpected(ch))), orDash(xmlText(m.checkActual(ch)))
	msg := m.T("expected") + ": " + oneLine(exp) + "; " + m.T("actual") + ": " + oneLine(act)
	var body strings.Builder
	fmt.Fprintf(&body, "%s:\n%s\n%s:\n%s\n", m.T("expected"), exp, m.T("actual"), act)
	if ch.From != "" {
		fmt.Fprintf(&body, "%s: %s\n", m.T("check.from"), xmlText(ch.From))
	}
	if ch.Source != "" {
		fmt.Fprintf(&body, "%s\n", xmlText(ch.Source))
	}
	outcome(&c, ch.Status, ch.Kind, msg, body.String(), m)
	return c
}

// stepCase is a testcase for the step itself, added when nothing else in
// the suite shows how the step went: a step without actions or checks, or
// a step that did not pass while none of its testcases failed (a timeout,
// an interruption between actions).
func stepCase(m messages, class string, s Step, cases []junitCase) (junitCase, bool) {
	c := junitCase{Name: "step", Classname: class, Time: seconds(s.DurationMS)}
	if len(cases) == 0 {
		outcome(&c, s.Status, "step", stepMessage(m, s), withMessage(xmlText(m.why(s.Reason, s.Error)), stepMessage(m, s)), m)
		return c, true
	}
	if s.Status == Passed || s.Status == Skipped {
		return c, false
	}
	for _, k := range cases {
		if k.Failure != nil || k.Error != nil {
			return c, false
		}
	}
	outcome(&c, s.Status, "step", stepMessage(m, s), withMessage(xmlText(m.why(s.Reason, s.Error)), stepMessage(m, s)), m)
	return c, true
}

func stepMessage(m messages, s Step) string {
	why := m.why(s.Reason, s.Error)
	if why == "" {
		why = m.status(s.Status)
	}
	return m.T("junit.step_failed", xmlText(s.ID), xmlText(why))
}

// seconds formats milliseconds as JUnit seconds ("1.250").
func seconds(ms int64) string {
	if ms < 0 {
		ms = 0
	}
	return fmt.Sprintf("%d.%03d", ms/1000, ms%1000)
}

// xmlText is s without anything XML 1.0 cannot hold or a terminal would
// have drawn (control characters, escape sequences, invalid UTF-8).
func xmlText(s string) string { return clean(s) }
