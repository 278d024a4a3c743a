package report

import (
	"encoding/json"
	"html"
	"strings"
	"testing"
)

// runnerTexts are the English texts the runner wrote into the error fields
// before reasons existed; Reason.English must keep them word for word, as
// JSON consumers may match on them.
var runnerTexts = map[ReasonCode]struct {
	reason Reason
	text   string
}{
	ReasonNotSelected:            {Reason{Code: ReasonNotSelected, Arg: "pages"}, "not selected (--only pages)"},
	ReasonBeforeStart:            {Reason{Code: ReasonBeforeStart, Arg: "deploy"}, "before the starting step (--from-step deploy)"},
	ReasonRunInterrupted:         {Reason{Code: ReasonRunInterrupted}, "not run: the run was interrupted"},
	ReasonEarlierStepFailed:      {Reason{Code: ReasonEarlierStepFailed, Step: "guarded"}, `not run: step guarded failed (on_failure = "stop")`},
	ReasonRolledBackAfter:        {Reason{Code: ReasonRolledBackAfter, Step: "guarded"}, "not run: step guarded failed and the plan was rolled back"},
	ReasonInterrupted:            {Reason{Code: ReasonInterrupted}, "interrupted while the step ran"},
	ReasonInterruptedBeforeRetry: {Reason{Code: ReasonInterruptedBeforeRetry}, "interrupted while waiting to retry"},
	ReasonStepTimeout:            {Reason{Code: ReasonStepTimeout, Arg: "5m0s"}, "the step did not finish within its timeout of 5m0s"},
	ReasonActionInterrupted:      {Reason{Code: ReasonActionInterrupted}, "interrupted"},
	ReasonStepTimeRanOut:         {Reason{Code: ReasonStepTimeRanOut}, "stopped: the step's timeout ran out"},
	ReasonActionTimeout:          {Reason{Code: ReasonActionTimeout, Arg: "30s"}, "timed out after 30s"},
}

func TestReasonCodesAndTexts(t *testing.T) {
	if len(runnerTexts) != len(ReasonCodes) {
		t.Errorf("%d codes, %d runner texts in this test", len(ReasonCodes), len(runnerTexts))
	}
	known := map[string]bool{}
	for _, c := range ReasonCodes {
		known["reason."+string(c)] = true
		for _, lang := range Languages() {
			if _, ok := catalogues[lang]["reason."+string(c)]; !ok {
				t.Errorf("%s catalogue lacks reason.%s", lang, c)
			}
		}
		rt, ok := runnerTexts[c]
		if !ok {
			t.Errorf("no runner text for %s", c)
			continue
		}
		if got := rt.reason.English(); got != rt.text {
			t.Errorf("%s: English() = %q, want %q", c, got, rt.text)
		}
	}
	for k := range catalogues["en"] {
		if strings.HasPrefix(k, "reason.") && !known[k] {
			t.Errorf("catalogue key %q is not a code in ReasonCodes", k)
		}
	}
}

// reasonResult is a small result with the reason on the object it belongs
// to, the English text in the error field (or in front of actual) as the
// runner writes it. With bare, reason and text are left out: the baseline
// the rendering with the reason is compared with.
func reasonResult(rsn Reason, bare bool) *Result {
	en := rsn.English()
	var why *Reason
	if !bare {
		why = &rsn
	} else {
		en = ""
	}
	r := &Result{Schema: SchemaVersion, Kind: "run", Environment: EnvInfo{Name: "lab"}, Plan: &PlanInfo{Name: "plan"}}
	step := Step{ID: "target", Title: "Doelstap", Attempts: 1, DurationMS: 1500}
	switch rsn.Code {
	case ReasonNotSelected, ReasonBeforeStart, ReasonRunInterrupted, ReasonEarlierStepFailed, ReasonRolledBackAfter:
		step.Status, step.Attempts, step.Error, step.Reason = Skipped, 0, en, why
	case ReasonInterrupted, ReasonInterruptedBeforeRetry:
		step.Status, step.Error, step.Reason = Interrupted, en, why
		step.Actions = []Action{{Kind: "exec", Service: "web", Command: []string{"true"}, Status: Passed, ExitCode: intp(0)}}
	case ReasonStepTimeout:
		step.Status, step.Error, step.Reason = Failed, en, why
		step.Actions = []Action{{Kind: "exec", Service: "web", Command: []string{"true"}, Status: Passed, ExitCode: intp(0)}}
	case ReasonActionInterrupted:
		step.Status = Interrupted
		step.Actions = []Action{{Kind: "wait", Service: "web", Status: Interrupted, Error: en, Reason: why}}
	case ReasonStepTimeRanOut, ReasonActionTimeout:
		step.Status = Failed
		step.Actions = []Action{{Kind: "wait", Service: "web", Status: Failed, Error: en, Reason: why}}
	}
	r.Steps = []Step{step}
	Summarize(r)
	return r
}

// normalized is a rendering with the escapes of its format undone, so
// texts can be searched in it.
func normalized(t *testing.T, r *Result, format, lang string) string {
	out := render(t, r, format, lang)
	switch format {
	case "html":
		// Words in table cells each sit in a span that does not wrap.
		out = strings.ReplaceAll(strings.ReplaceAll(out, `<span class="w">`, ""), "</span>", "")
		out = html.UnescapeString(out)
	case "junit":
		out = html.UnescapeString(out)
	case "md":
		out = strings.ReplaceAll(out, `\`, "")
	}
	return out
}

// TestReasonsInDutch renders each reason code in Dutch in every format:
// the Dutch text is there, the English text is not (beyond where the
// English word occurs anyway, e.g. the status "interrupted" in class
// names). In English the rendering is what it was before reasons: the
// error text.
func TestReasonsInDutch(t *testing.T) {
	nl, _ := catalogue("nl")
	for _, c := range ReasonCodes {
		rsn := runnerTexts[c].reason
		en := rsn.English()
		dutch, ok := nl.reason(&rsn)
		if !ok || dutch == "" || dutch == en {
			t.Fatalf("%s: no Dutch text (%q)", c, dutch)
		}
		for _, format := range []string{"md", "html", "junit", "text"} {
			t.Run(string(c)+"/"+format, func(t *testing.T) {
				with := normalized(t, reasonResult(rsn, false), format, "nl")
				base := normalized(t, reasonResult(rsn, true), format, "nl")
				// The terminal summary shows no action errors.
				actionOnly := c == ReasonActionInterrupted || c == ReasonStepTimeRanOut || c == ReasonActionTimeout
				if !(format == "text" && actionOnly) && strings.Count(with, dutch) <= strings.Count(base, dutch) {
					t.Errorf("the Dutch reason %q is missing:\n%s", dutch, with)
				}
				if strings.Count(with, en) > strings.Count(base, en) {
					t.Errorf("the English reason %q is shown:\n%s", en, with)
				}
				// In English, the reason reads as the error text did.
				withEN := render(t, reasonResult(rsn, false), format, "en")
				old := reasonResult(rsn, false)
				dropReasons(old)
				if oldEN := render(t, old, format, "en"); withEN != oldEN {
					t.Errorf("English rendering differs from the one without reason:\n%s\n---\n%s", withEN, oldEN)
				}
			})
		}
	}
}

func dropReasons(r *Result) {
	for i := range r.Steps {
		s := &r.Steps[i]
		s.Reason = nil
		for j := range s.Actions {
			s.Actions[j].Reason = nil
		}
		for j := range s.Checks {
			s.Checks[j].Reason = nil
		}
	}
	for i := range r.Deviations {
		r.Deviations[i].Reason = nil
	}
}

// TestCheckReason: a check the runner stopped has the English reason in
// front of actual; reports replace it with the translation and keep the
// rest of the value.
func TestCheckReason(t *testing.T) {
	rsn := Reason{Code: ReasonStepTimeRanOut}
	r := &Result{Schema: SchemaVersion, Kind: "run", Steps: []Step{{
		ID: "slow", Status: Failed, Attempts: 1,
		Checks: []Check{{Name: "port", Kind: "tcp", Status: Failed, Expected: "web:80 reachable",
			Actual: rsn.English() + "\nconnection refused", Attempts: 3, Reason: &rsn}},
	}}}
	Summarize(r)
	for _, format := range []string{"md", "html", "junit", "text"} {
		out := normalized(t, r, format, "nl")
		if !strings.Contains(out, "gestopt: de tijdslimiet van de stap is verstreken") || !strings.Contains(out, "connection refused") {
			t.Errorf("%s: translated reason or the rest of actual missing:\n%s", format, out)
		}
		if strings.Contains(out, "stopped: the step") {
			t.Errorf("%s: English reason shown:\n%s", format, out)
		}
	}
}

// TestReasonFallback: a document without a reason, with a code this
// version does not know, or with a missing parameter shows its error text.
func TestReasonFallback(t *testing.T) {
	for _, rsn := range []*Reason{nil, {Code: "from_the_future"}, {Code: ReasonEarlierStepFailed}, {Code: ""}} {
		r := &Result{Schema: SchemaVersion, Kind: "run", Steps: []Step{{
			ID: "later", Status: Skipped, Error: "not run: something new happened", Reason: rsn,
		}}}
		Summarize(r)
		for _, format := range []string{"md", "html", "junit", "text"} {
			out := normalized(t, r, format, "nl")
			if !strings.Contains(out, "not run: something new happened") || strings.Contains(out, "reason.") || strings.Contains(out, "%!") {
				t.Errorf("reason %+v, %s: error text not shown as is:\n%s", rsn, format, out)
			}
		}
	}
}

func TestReasonJSONAndRedact(t *testing.T) {
	r := reasonResult(Reason{Code: ReasonNotSelected, Arg: "geheim"}, false)
	b, err := json.Marshal(r.Steps[0])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"reason":{"code":"not_selected","arg":"geheim"}`) {
		t.Errorf("step JSON = %s", b)
	}
	if r.Deviations[0].Reason == r.Steps[0].Reason || *r.Deviations[0].Reason != *r.Steps[0].Reason {
		t.Errorf("the deviation's reason should be an equal copy of the step's")
	}
	// A secret that happens to be a code does not break the code.
	Redact(r, []string{"geheim", "not_selected"})
	if s := r.Steps[0]; s.Reason.Code != ReasonNotSelected || s.Reason.Arg != "(sensitive)" || strings.Contains(s.Error, "geheim") {
		t.Errorf("after Redact: %+v %q", s.Reason, s.Error)
	}
}
