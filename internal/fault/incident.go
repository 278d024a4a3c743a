// Package fault runs troubleshooting exercises: it injects a fault
// declared in a fault block into a running instance, keeps the incident
// (ticket, timeline, hints, check attempts) in the environment's
// .proeftuin/incidents folder, checks the repair and writes the incident
// report. Everything it does to the instance goes through the instance
// facade (internal/instance).
package fault

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/proeftuin/proeftuin/internal/atomicfile"
	"github.com/proeftuin/proeftuin/internal/report"
)

// Incident statuses.
const (
	// StatusInjecting: recorded before the inject ran; a start that was
	// interrupted leaves this, so the fault is never unrecorded.
	StatusInjecting = "injecting"
	StatusOpen      = "open"
	StatusResolved  = "resolved"
	StatusReset     = "reset"
)

// Incident is one started fault: the student's ticket and everything
// done about it. It is kept as incident.json in its folder.
type Incident struct {
	Schema      int       `json:"schema"`
	ID          string    `json:"id"` // the ticket number, INC-yyyymmdd-hhmmss
	Instance    string    `json:"instance"`
	Environment string    `json:"environment"`
	Fault       string    `json:"fault"`
	Ticket      string    `json:"ticket"`
	Lang        string    `json:"lang,omitempty"`
	Priority    string    `json:"priority"`
	Category    string    `json:"category"`
	Status      string    `json:"status"`
	ReportedAt  time.Time `json:"reported_at"`
	ClosedAt    time.Time `json:"closed_at,omitzero"`
	HintsUsed   int       `json:"hints_used"`
	HintsTotal  int       `json:"hints_total"`
	// Services are those the inject touched: reset recreates them.
	Services []string `json:"services"`
	// Stopped are the services that were stopped before the inject (a
	// plan may stop one on purpose): reset leaves them stopped.
	Stopped  []string        `json:"stopped,omitempty"`
	Timeline []Event         `json:"timeline"`
	Before   []report.Check  `json:"before,omitempty"`
	After    []report.Check  `json:"after,omitempty"`
	Inject   []report.Action `json:"inject,omitempty"` // teacher's view only
	Author   string          `json:"author,omitempty"`
	Notes    string          `json:"notes,omitempty"`
}

// Event is one line of the timeline.
type Event struct {
	Time time.Time `json:"time"`
	// Kind: start, injected, exec, logs, hint, check, resolved, reset.
	Kind string `json:"kind"`
	Text string `json:"text,omitempty"`
	// N of Of: the hint's number, or how many recovered checks passed.
	N  int `json:"n,omitempty"`
	Of int `json:"of,omitempty"`
}

// TimeToRepair is from the report until the incident was resolved (or
// until now while it is open).
func (inc *Incident) TimeToRepair(now time.Time) time.Duration {
	end := inc.ClosedAt
	if end.IsZero() {
		end = now
	}
	return end.Sub(inc.ReportedAt).Round(time.Second)
}

// Store keeps the incidents of an environment folder:
// <dir>/.proeftuin/incidents/<id>/incident.json, events.jsonl (what exec
// and logs append without the instance lock) and the report files;
// open-<instance> names the instance's open incident.
type Store struct{ Dir string }

// NewStore is the store of the environment folder envDir.
func NewStore(envDir string) Store {
	return Store{Dir: filepath.Join(envDir, ".proeftuin", "incidents")}
}

// IncidentDir is the folder of incident id.
func (s Store) IncidentDir(id string) string { return filepath.Join(s.Dir, id) }

func (s Store) openFile(instance string) string { return filepath.Join(s.Dir, "open-"+instance) }

// OpenIncident is the instance's open incident, nil when none is.
func (s Store) OpenIncident(instance string) (*Incident, error) {
	data, err := os.ReadFile(s.openFile(instance))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return s.Load(strings.TrimSpace(string(data)))
}

// Load reads incident id with the events exec and logs appended.
func (s Store) Load(id string) (*Incident, error) {
	if id == "" || strings.ContainsAny(id, `/\.`) {
		return nil, fmt.Errorf("invalid incident %q", id)
	}
	data, err := os.ReadFile(filepath.Join(s.IncidentDir(id), "incident.json"))
	if err != nil {
		return nil, fmt.Errorf("read incident %s: %w", id, err)
	}
	inc := &Incident{}
	if err := json.Unmarshal(data, inc); err != nil {
		return nil, fmt.Errorf("read incident %s: %w", id, err)
	}
	return inc, nil
}

// Save writes the incident (atomically) and, while it is open, marks it
// as the instance's open incident.
func (s Store) Save(inc *Incident) error {
	dir := s.IncidentDir(inc.ID)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	data, err := json.MarshalIndent(inc, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(dir, "incident.json"), append(data, '\n'), 0o644); err != nil {
		return err
	}
	if inc.Status == StatusInjecting || inc.Status == StatusOpen {
		return atomicfile.Write(s.openFile(inc.Instance), []byte(inc.ID+"\n"), 0o644)
	}
	if err := os.Remove(s.openFile(inc.Instance)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// Record appends a diagnosis event (exec or logs: the command, never its
// output) to the instance's open incident; without one it does nothing.
// It needs no lock: each event is one append of one line.
func Record(envDir, instance, kind, text string, now time.Time) error {
	s := NewStore(envDir)
	data, err := os.ReadFile(s.openFile(instance))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	id := strings.TrimSpace(string(data))
	line, err := json.Marshal(Event{Time: now.UTC(), Kind: kind, Text: text})
	if err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(s.IncidentDir(id), "events.jsonl"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(append(line, '\n'))
	return errors.Join(err, f.Close())
}

// Timeline is the incident's timeline with the recorded diagnosis events
// merged in, by time.
func (s Store) Timeline(inc *Incident) []Event {
	out := append([]Event(nil), inc.Timeline...)
	data, _ := os.ReadFile(filepath.Join(s.IncidentDir(inc.ID), "events.jsonl"))
	for _, line := range strings.Split(string(data), "\n") {
		var e Event
		if line != "" && json.Unmarshal([]byte(line), &e) == nil {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return out
}

// NewID is the ticket number of an incident reported at t.
func NewID(t time.Time) string { return "INC-" + t.UTC().Format("20060102-150405") }
