// Package report holds the evaluation result document (result.json) and
// renders it as Markdown, HTML, JUnit XML and a terminal summary, in Dutch
// or English. Renderers read only this document, so a stored result can be
// re-rendered later (`proeftuin report --in result.json`).
package report

import "time"

// SchemaVersion is the version of the result.json schema
// (docs/report-schema.md). Bump it on any incompatible change.
const SchemaVersion = 1

// Status of a step, action or check.
type Status string

const (
	Passed      Status = "passed"
	Failed      Status = "failed"
	Skipped     Status = "skipped"
	RolledBack  Status = "rolled_back"
	Interrupted Status = "interrupted"
	Error       Status = "error" // could not be run (engine failure, bad input)
)

func (s Status) String() string { return string(s) }

// Result is the whole evaluation of one run or check.
type Result struct {
	Schema      int        `json:"schema"`
	Kind        string     `json:"kind"` // "run" | "check"
	RunID       string     `json:"run_id"`
	Tool        Tool       `json:"tool"`
	Environment EnvInfo    `json:"environment"`
	Engine      EngineInfo `json:"engine"`
	Images      []Image    `json:"images,omitempty"`
	Author      string     `json:"author,omitempty"`
	Notes       string     `json:"notes,omitempty"` // the student's reflection, Markdown
	// Amended lists what was added after the run (`report --author
	// --notes`); the run's own fields, hashes included, stay as they were.
	Amended    []Amendment `json:"amended,omitempty"`
	Started    time.Time   `json:"started"`
	Finished   time.Time   `json:"finished"`
	DurationMS int64       `json:"duration_ms"`
	Status     Status      `json:"status"` // overall
	Plan       *PlanInfo   `json:"plan,omitempty"`
	Steps      []Step      `json:"steps,omitempty"`
	Acceptance []Check     `json:"acceptance,omitempty"`
	Matrix     []MatrixRow `json:"requirements"`
	Deviations []Deviation `json:"deviations,omitempty"`
	Summary    Summary     `json:"summary"`
	// Feedback is the grade of `proeftuin grade`, for the student; nil
	// in any other report.
	Feedback *Feedback `json:"feedback,omitempty"`
}

type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type EnvInfo struct {
	Name     string `json:"name"`
	Title    string `json:"title,omitempty"`
	Version  string `json:"version,omitempty"`
	Instance string `json:"instance"`
	Hash     string `json:"definitions_hash"`
}

type EngineInfo struct {
	ServerVersion string `json:"server_version,omitempty"`
	APIVersion    string `json:"api_version,omitempty"`
	OS            string `json:"os,omitempty"`
	Arch          string `json:"arch,omitempty"`
}

type Image struct {
	Service string `json:"service"`
	Ref     string `json:"ref"`
	ID      string `json:"id"`
}

type PlanInfo struct {
	Name  string `json:"name"`
	Title string `json:"title,omitempty"`
	Hash  string `json:"hash"`
}

// Step is one plan step as it ran.
type Step struct {
	ID         string    `json:"id"`
	Title      string    `json:"title,omitempty"`
	Implements []string  `json:"implements,omitempty"`
	Status     Status    `json:"status"`
	Attempts   int       `json:"attempts"`
	Started    time.Time `json:"started"`
	DurationMS int64     `json:"duration_ms"`
	// PlannedMS is how long the plan estimated the step to take
	// (planned = "10m"); 0 when it gives no estimate.
	PlannedMS int64    `json:"planned_ms,omitempty"`
	Actions   []Action `json:"actions,omitempty"`
	Checks    []Check  `json:"checks,omitempty"`
	Rollback  []Action `json:"rollback,omitempty"`
	// RollbackStatus is "" when no rollback ran.
	RollbackStatus Status `json:"rollback_status,omitempty"`
	// Error is why the step did not pass, in English.
	Error string `json:"error,omitempty"`
	// Reason is Error in machine-readable form, when the runner itself
	// gave the reason (a skipped, interrupted or timed-out step); reports
	// show it translated. Absent in documents written before it existed.
	Reason  *Reason `json:"reason,omitempty"`
	Resumed bool    `json:"resumed,omitempty"` // passed in an earlier, resumed run
}

// Action is one action of a step as it ran (last attempt).
type Action struct {
	Kind       string   `json:"kind"`
	Service    string   `json:"service,omitempty"`
	Command    []string `json:"command,omitempty"`
	Detail     string   `json:"detail,omitempty"` // e.g. "files/app.conf -> /etc/app.conf"
	Status     Status   `json:"status"`
	ExitCode   *int     `json:"exit_code,omitempty"`
	Stdout     string   `json:"stdout,omitempty"` // tail, at most 64 KiB
	Stderr     string   `json:"stderr,omitempty"`
	Truncated  bool     `json:"truncated,omitempty"`
	DurationMS int64    `json:"duration_ms"`
	Error      string   `json:"error,omitempty"`
	// Reason is Error in machine-readable form when the runner gave it
	// (interrupted, timed out); see Step.Reason.
	Reason *Reason `json:"reason,omitempty"`
	// ErrorText is Error as phrases a report translates, when the action
	// failed by its own result (an exit code); see Check.ExpectedText.
	ErrorText Text `json:"error_text,omitempty"`
}

// Check is one check as it ran.
type Check struct {
	Name     string   `json:"name"`
	Title    string   `json:"title,omitempty"`
	Kind     string   `json:"kind"`
	From     string   `json:"from,omitempty"` // service, or "" for the host
	Verifies []string `json:"verifies,omitempty"`
	Status   Status   `json:"status"`
	Expected string   `json:"expected"`
	Actual   string   `json:"actual"`
	// ExpectedText and ActualText are Expected and the start of Actual as
	// phrases, which reports translate; absent in documents written
	// before they existed, and for findings given only in English.
	ExpectedText Text   `json:"expected_text,omitempty"`
	ActualText   Text   `json:"actual_text,omitempty"`
	Attempts     int    `json:"attempts"`
	DurationMS   int64  `json:"duration_ms"`
	Source       string `json:"source,omitempty"` // file:line of the declaration
	// Reason is set when the runner stopped the check (the step's timeout
	// ran out); its English text then starts Actual.
	Reason *Reason `json:"reason,omitempty"`
}

// MatrixRow traces one requirement.
type MatrixRow struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Kind        string   `json:"kind"`
	Priority    string   `json:"priority"`
	SatisfiedBy []string `json:"satisfied_by,omitempty"` // services
	VerifiedBy  []string `json:"verified_by,omitempty"`  // checks (acceptance and step checks)
	Implemented []string `json:"implemented_by,omitempty"`
	// Verdict: "verified" (all its checks passed), "failed" (a check
	// failed), "not_verified" (no check ran for it).
	Verdict string `json:"verdict"`
}

// Deviation is something that went differently from the plan.
type Deviation struct {
	Step   string `json:"step,omitempty"`
	Kind   string `json:"kind"` // "failed" | "retried" | "rolled_back" | "skipped" | "resumed" | "interrupted"
	Detail string `json:"detail"`
	// Reason is the step's Reason, when Detail is the step's error and
	// that has one.
	Reason *Reason `json:"reason,omitempty"`
	// Attempts is how many attempts the step took ("retried", "failed").
	Attempts int `json:"attempts,omitempty"`
	// Rollback is how the rollback ended ("rolled_back"): passed or failed.
	Rollback Status `json:"rollback,omitempty"`
}

// Deviation kinds.
const (
	DevFailed      = "failed"
	DevRetried     = "retried"
	DevRolledBack  = "rolled_back"
	DevSkipped     = "skipped"
	DevResumed     = "resumed"
	DevInterrupted = "interrupted"
)

// Requirement verdicts (MatrixRow.Verdict).
const (
	Verified    = "verified"
	NotVerified = "not_verified"
	// VerdictFailed is the verdict of a requirement whose check failed.
	VerdictFailed = "failed"
)

// StepCheckRef is how a step's check is named in MatrixRow.VerifiedBy:
// "<step>/<check>". Acceptance checks are named by their Name alone.
func StepCheckRef(step, check string) string { return step + "/" + check }

// Summary counts.
type Summary struct {
	Steps        Counts `json:"steps"`
	Checks       Counts `json:"checks"`
	Requirements struct {
		Total       int `json:"total"`
		Verified    int `json:"verified"`
		Failed      int `json:"failed"`
		NotVerified int `json:"not_verified"`
	} `json:"requirements"`
}

type Counts struct {
	Total       int `json:"total"`
	Passed      int `json:"passed"`
	Failed      int `json:"failed"`
	Skipped     int `json:"skipped"`
	RolledBack  int `json:"rolled_back,omitempty"`
	Interrupted int `json:"interrupted,omitempty"`
}

// Amendment is one addition to a result after its run.
type Amendment struct {
	At     time.Time `json:"at"`
	Fields []string  `json:"fields"` // "author", "notes"
}

// Amend sets the author and the notes (each only when not empty) of a
// result after its run and records that it did, and when. Nothing else
// changes: the hashes still describe the run.
func (r *Result) Amend(author, notes string, at time.Time) {
	var fields []string
	if author != "" {
		r.Author = author
		fields = append(fields, "author")
	}
	if notes != "" {
		r.Notes = notes
		fields = append(fields, "notes")
	}
	if len(fields) > 0 {
		r.Amended = append(r.Amended, Amendment{At: at.UTC().Truncate(time.Second), Fields: fields})
	}
}

// HasSteps says whether the report speaks of steps: a run does, even
// with none done; a 'proeftuin check' (no plan) does not.
func (r *Result) HasSteps() bool { return r.Kind != "check" || r.Summary.Steps.Total > 0 }
