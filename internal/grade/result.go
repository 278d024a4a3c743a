package grade

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/report"
)

// Class is the grades of a class: grades.json, from which the CSV, the
// overview and the feedback are rendered.
type Class struct {
	Schema    int        `json:"schema"`
	Generated time.Time  `json:"generated"`
	Lang      string     `json:"lang,omitempty"`
	Rubric    RubricInfo `json:"rubric"`
	Results   []*Result  `json:"results"`
	Warnings  []string   `json:"warnings,omitempty"`
}

// RubricInfo is what the class documents need of the rubric.
type RubricInfo struct {
	Name         string         `json:"name"`
	Title        string         `json:"title,omitempty"`
	Due          *time.Time     `json:"due,omitempty"`
	Requirements []string       `json:"requirements,omitempty"`
	Points       map[string]int `json:"points,omitempty"`
	Checks       []CheckInfo    `json:"checks,omitempty"`
	MaxPoints    int            `json:"max_points"`
}

// CheckInfo is one hidden check of the rubric.
type CheckInfo struct {
	Name       string `json:"name"`
	Title      string `json:"title,omitempty"`
	Points     int    `json:"points"`
	Visibility string `json:"visibility"`
}

// Result is the grade of one submission.
type Result struct {
	Student string `json:"student"`
	Source  string `json:"source"`
	Kind    string `json:"kind"`
	Hash    string `json:"hash"`
	Engine  string `json:"engine"`
	// Status is one of passed, failed, invalid, refused, timed_out, error.
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
	// ReasonText is Reason as phrases, which the student's report
	// translates (report.GradeReason).
	ReasonText  report.Text `json:"reason_text,omitempty"`
	Diagnostics string      `json:"diagnostics,omitempty"`
	Missing     []string    `json:"missing,omitempty"`
	Points      int         `json:"points"`
	MaxPoints   int         `json:"max_points"`
	Percent     float64     `json:"percent"`
	Duration    float64     `json:"duration_s"`
	// RunStatus is how the student's own plan and checks ended.
	RunStatus    report.Status          `json:"run_status,omitempty"`
	Requirements map[string]Requirement `json:"requirements,omitempty"`
	Checks       []Check                `json:"checks,omitempty"`
	Report       string                 `json:"report,omitempty"`
	Notes        string                 `json:"notes,omitempty"`

	DefinitionsHash string `json:"definitions_hash,omitempty"`
	PlanHash        string `json:"plan_hash,omitempty"`
	// Resumed: kept from an earlier grade run (--resume).
	Resumed bool `json:"resumed,omitempty"`

	// waited is how long it waited for its turn to load and for a slot.
	waited time.Duration
}

// Requirement is a requirement id of the rubric for one student.
type Requirement struct {
	Verdict string `json:"verdict"` // the report's verdict, or "missing"
	Points  int    `json:"points"`
	Max     int    `json:"max"`
}

// Check is a hidden check as it ran for one student.
type Check struct {
	Name     string        `json:"name"`
	Status   report.Status `json:"status"`
	Points   int           `json:"points"`
	Max      int           `json:"max"`
	Expected string        `json:"expected,omitempty"`
	Actual   string        `json:"actual,omitempty"`
	// ExpectedText, ActualText and Reason are Expected and Actual as
	// phrases, so the feedback shows them in the report's language.
	ExpectedText report.Text    `json:"expected_text,omitempty"`
	ActualText   report.Text    `json:"actual_text,omitempty"`
	Reason       *report.Reason `json:"reason,omitempty"`
}

func rubricInfo(r *config.Rubric) RubricInfo {
	info := RubricInfo{Name: r.Name, Title: r.Title, Requirements: r.Requirements, Points: r.Points, MaxPoints: maxPoints(r)}
	if !r.Due.IsZero() {
		d := r.Due
		info.Due = &d
	}
	for _, c := range r.Checks {
		info.Checks = append(info.Checks, CheckInfo{Name: c.Name, Title: c.Title, Points: c.Points, Visibility: c.Visibility})
	}
	return info
}

func maxPoints(r *config.Rubric) int {
	n := 0
	for _, p := range r.Points {
		n += p
	}
	for _, c := range r.Checks {
		n += c.Points
	}
	return n
}

// reset forgets what happened on an engine that failed, keeping what
// was found before (notes, hashes, what is missing).
func (r *Result) reset() {
	r.Status, r.Reason, r.Diagnostics, r.RunStatus = "", "", "", ""
	r.ReasonText = nil
	r.Requirements, r.Checks, r.Report = nil, nil, ""
}

// because sets the reason: phrases of report.GradeReason, and their
// English text.
func (r *Result) because(key string, args ...string) {
	r.ReasonText = report.Text{{Key: key, Args: args}}
	r.Reason = report.GradeReason(r.ReasonText, "en")
}

// take records the student's own run.
func (r *Result) take(res *report.Result) {
	r.RunStatus = res.Status
	r.Report = filepath.Join(r.Student, "report")
	r.Requirements = map[string]Requirement{}
	for _, row := range res.Matrix {
		r.Requirements[row.ID] = Requirement{Verdict: row.Verdict}
	}
	r.Status = Failed
	if res.Status == report.Passed && len(r.Missing) == 0 {
		r.Status = Passed
	}
}

// takeHidden records the hidden checks; one that did not pass fails the
// submission.
func (r *Result) takeHidden(rub *config.Rubric, res *report.Result) {
	got := map[string]report.Check{}
	for _, c := range res.Acceptance {
		got[c.Name] = c
	}
	for _, rc := range rub.Checks {
		c, ok := got[rc.Name]
		st := c.Status
		if !ok {
			st = report.Skipped
		}
		r.Checks = append(r.Checks, Check{Name: rc.Name, Status: st, Max: rc.Points, Expected: c.Expected, Actual: c.Actual,
			ExpectedText: c.ExpectedText, ActualText: c.ActualText, Reason: c.Reason})
		if st != report.Passed && r.Status == Passed {
			r.Status = Failed
		}
	}
}

// score adds up the points: a requirement's when the student's own plan
// and checks verified it, a hidden check's when it passed. Only a
// submission that ran earns points.
func (r *Result) score(rub *config.Rubric) {
	r.Points, r.MaxPoints = 0, maxPoints(rub)
	ran := r.RunStatus != ""
	req := map[string]Requirement{}
	for _, id := range rub.Requirements {
		q := Requirement{Verdict: report.NotVerified, Max: rub.Points[id]}
		if got, ok := r.Requirements[id]; ok {
			q.Verdict = got.Verdict
		} else if ran {
			q.Verdict = "missing"
		}
		if ran && q.Verdict == report.Verified {
			q.Points = q.Max
		}
		req[id] = q
		r.Points += q.Points
	}
	r.Requirements = req
	for i := range r.Checks {
		c := &r.Checks[i]
		c.Points = 0
		if c.Status == report.Passed {
			c.Points = c.Max
		}
		r.Points += c.Points
	}
	r.Percent = 0
	if r.MaxPoints > 0 {
		r.Percent = float64(int(float64(r.Points)*1000/float64(r.MaxPoints)+0.5)) / 10
	}
}

func (c *Class) add(r *Result) {
	c.Results = append(c.Results, r)
	sort.Slice(c.Results, func(i, j int) bool { return c.Results[i].Student < c.Results[j].Student })
}

// previous reads the results of an earlier grade run in out.
func previous(out string) map[string]*Result {
	m := map[string]*Result{}
	b, err := os.ReadFile(filepath.Join(out, "grades.json"))
	if err != nil {
		return m
	}
	var c Class
	if json.Unmarshal(b, &c) != nil {
		return m
	}
	for _, r := range c.Results {
		m[r.Student] = r
	}
	return m
}
