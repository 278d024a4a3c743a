package report

import (
	"regexp"
	"strings"
)

// ReasonCode names, in a form a program can read, why the runner gave a
// step, action or check the outcome it has. The set is small and listed
// in docs/report-schema.md; renderers translate it ("reason.<code>" in the
// catalogue). Like Status it is an enumeration, not free text.
type ReasonCode string

// Reason codes of a step that did not run (status skipped).
const (
	// ReasonNotSelected: another step was chosen with --only (Arg).
	ReasonNotSelected ReasonCode = "not_selected"
	// ReasonBeforeStart: the step comes before the --from-step step (Arg).
	ReasonBeforeStart ReasonCode = "before_start"
	// ReasonRunInterrupted: the run was interrupted before the step.
	ReasonRunInterrupted ReasonCode = "run_interrupted"
	// ReasonEarlierStepFailed: an earlier step (Step) failed with
	// on_failure = "stop".
	ReasonEarlierStepFailed ReasonCode = "earlier_step_failed"
	// ReasonRolledBackAfter: an earlier step (Step) failed and the plan
	// was rolled back.
	ReasonRolledBackAfter ReasonCode = "rolled_back_after"
)

// Reason codes of a step that ran but did not finish.
const (
	// ReasonInterrupted: the step was interrupted while it ran.
	ReasonInterrupted ReasonCode = "interrupted"
	// ReasonInterruptedBeforeRetry: the step was interrupted while it
	// waited for its next attempt.
	ReasonInterruptedBeforeRetry ReasonCode = "interrupted_before_retry"
	// ReasonStepTimeout: the step did not finish within its timeout (Arg,
	// a Go duration such as "5m0s").
	ReasonStepTimeout ReasonCode = "step_timeout"
)

// Reason codes of an action (and, for ReasonStepTimeRanOut, a check).
const (
	// ReasonActionInterrupted: the action was interrupted.
	ReasonActionInterrupted ReasonCode = "action_interrupted"
	// ReasonStepTimeRanOut: the action or check was stopped because the
	// step's timeout ran out.
	ReasonStepTimeRanOut ReasonCode = "step_time_ran_out"
	// ReasonActionTimeout: the action did not finish within its own
	// timeout (Arg, a Go duration).
	ReasonActionTimeout ReasonCode = "action_timeout"
)

// ReasonCodes lists every code this version writes, in documentation order.
var ReasonCodes = []ReasonCode{
	ReasonNotSelected, ReasonBeforeStart, ReasonRunInterrupted, ReasonEarlierStepFailed, ReasonRolledBackAfter,
	ReasonInterrupted, ReasonInterruptedBeforeRetry, ReasonStepTimeout,
	ReasonActionInterrupted, ReasonStepTimeRanOut, ReasonActionTimeout,
}

// Reason is the machine-readable form of a reason the runner gives. The
// English text of the same reason stays in the object's error field (for
// a check: at the start of actual), for readers that do not know the code
// and for documents written before reasons existed.
type Reason struct {
	Code ReasonCode `json:"code"`
	// Step is the other step the reason is about (earlier_step_failed,
	// rolled_back_after); omitted when none.
	Step string `json:"step,omitempty"`
	// Arg is the reason's other parameter: the step given to --only or
	// --from-step, or a timeout; omitted when none.
	Arg string `json:"arg,omitempty"`
}

// clone is a copy of r, so a deviation does not share its step's reason.
func (r *Reason) clone() *Reason {
	if r == nil {
		return nil
	}
	c := *r
	return &c
}

// English is the reason in English: the text the runner writes into the
// error field next to the reason.
func (r *Reason) English() string {
	s, _ := messages{lang: "en", m: catalogues["en"]}.reason(r)
	return s
}

// verbRE finds the fmt verbs of a catalogue message (as the catalogue
// test does).
var verbRE = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// reason is r in m's language, and whether the code is known and its
// parameters fit the message. A reason from a newer proeftuin (unknown
// code) or with missing parameters is not translated.
func (m messages) reason(r *Reason) (string, bool) {
	if r == nil || r.Code == "" {
		return "", false
	}
	msg, ok := m.m["reason."+string(r.Code)]
	if !ok {
		return "", false
	}
	var args []any
	for _, p := range []string{r.Step, r.Arg} {
		if p != "" {
			args = append(args, oneLine(p))
		}
	}
	n := 0
	for _, v := range verbRE.FindAllString(msg, -1) {
		if v != "%%" {
			n++
		}
	}
	if n != len(args) {
		return "", false
	}
	return m.T("reason."+string(r.Code), args...), true
}

// why is the reason for an outcome as a report shows it: the translated
// reason when there is one that m knows, else the stored error text.
func (m messages) why(r *Reason, text string) string {
	if s, ok := m.reason(r); ok {
		return s
	}
	return text
}

// checkActual is what a check found, as a report shows it. Actual is
// the runner's reason (when it stopped the check), what was found, and
// details, each on its own line; the reason and the finding are shown in
// m's language when they are known in machine-readable form.
func (m messages) checkActual(c Check) string {
	rest := c.Actual
	var out []string
	if s, ok := m.reason(c.Reason); ok {
		if en := c.Reason.English(); strings.HasPrefix(rest, en) {
			rest = strings.TrimLeft(rest[len(en):], "\n")
		}
		out = append(out, s)
	}
	if s, ok := m.text(c.ActualText); ok {
		if en := English(c.ActualText); strings.HasPrefix(rest, en) {
			rest = strings.TrimLeft(rest[len(en):], "\n")
			out = append(out, s)
		}
	}
	if rest != "" {
		out = append(out, rest)
	}
	return strings.Join(out, "\n")
}
