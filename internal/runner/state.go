package runner

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/proeftuin/proeftuin/internal/atomicfile"
	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/report"
	"github.com/proeftuin/proeftuin/internal/version"
)

// StateFile is the name of a run's state in its folder.
const StateFile = "state.json"

// StateVersion is the version of the state.json format.
const StateVersion = 1

// State is what a run leaves behind after every step, for --resume: the
// partial result (redacted, like every file proeftuin writes) and a hash
// of every step's declaration at the time it ran.
type State struct {
	Version     int               `json:"version"`
	RunID       string            `json:"run_id"`
	Instance    string            `json:"instance"`
	Environment string            `json:"environment"`
	Plan        string            `json:"plan"`
	StepHashes  map[string]string `json:"step_hashes"`
	// StepContainers holds, for every step that passed, the container ID
	// of each service its actions changed (exec, copy, restart, stop,
	// start) when it passed. --resume runs a step again when one of those
	// containers has been replaced since: what the step did inside it is
	// gone. Absent in states of older versions (then steps are resumed).
	StepContainers map[string]map[string]string `json:"step_containers,omitempty"`
	Updated        time.Time                    `json:"updated"`
	// Finished is true once the run went through all its steps (passed,
	// failed, skipped or interrupted).
	Finished bool           `json:"finished"`
	Result   *report.Result `json:"result"`
}

// LoadState reads a state.json.
func LoadState(path string) (*State, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var st State
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("%s is not a valid run state: %w", path, err)
	}
	if st.Version < 1 || st.Version > StateVersion {
		return nil, fmt.Errorf("%s has state version %d, this proeftuin reads version %d", path, st.Version, StateVersion)
	}
	if st.Result == nil {
		return nil, fmt.Errorf("%s holds no result", path)
	}
	return &st, nil
}

// saveState writes the state of the run to <dir>/state.json through a
// temporary file and a rename. For a partial state (final false) res is
// copied, summarized and redacted, and res itself is not changed; the
// final result is already summarized and redacted.
func (r *run) saveState(res *report.Result, final bool) error {
	cp, err := cloneResult(res)
	if err != nil {
		return err
	}
	if !final {
		cp.Finished = r.now()
		cp.DurationMS = cp.Finished.Sub(cp.Started).Milliseconds()
		report.Summarize(cp)
		report.Redact(cp, r.secrets)
	}
	st := State{
		Version:        StateVersion,
		RunID:          res.RunID,
		Instance:       r.opts.Instance,
		Environment:    r.env.Name,
		StepHashes:     r.hashes,
		StepContainers: r.stepContainers,
		Updated:        r.now(),
		Finished:       final,
		Result:         cp,
	}
	if r.env.Plan != nil {
		st.Plan = r.env.Plan.Name
	}
	data, err := json.MarshalIndent(&st, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(r.dir, 0o755); err != nil {
		return fmt.Errorf("write run state: %w", err)
	}
	return atomicfile.Write(filepath.Join(r.dir, StateFile), append(data, '\n'), 0o644)
}

func cloneResult(res *report.Result) (*report.Result, error) {
	data, err := json.Marshal(res)
	if err != nil {
		return nil, err
	}
	var cp report.Result
	if err := json.Unmarshal(data, &cp); err != nil {
		return nil, err
	}
	return &cp, nil
}

// checkWritable reports whether a file can be created in dir.
func checkWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".writable.*.tmp")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// Complete reports that the run went through all its steps and passed:
// there is nothing left to resume. A failed or interrupted run is
// finished too, but --resume continues it.
func (st *State) Complete() bool {
	return st.Finished && st.Result != nil && st.Result.Status == report.Passed
}

// FinishedError says the run --resume would continue has already gone
// through all its steps and passed. Nothing was changed: a finished run and its
// report are never rewritten. The CLI prints it and exits 0.
type FinishedError struct {
	RunID  string
	Status report.Status
	Dir    string
}

func (e *FinishedError) Error() string {
	return fmt.Sprintf("run %s already finished (%s); nothing was resumed and its report in %s is unchanged. Start a new run without --resume",
		e.RunID, e.Status, e.Dir)
}

// AsFinished reports whether err is a *FinishedError and returns it.
func AsFinished(err error) (*FinishedError, bool) {
	var fe *FinishedError
	ok := errors.As(err, &fe)
	return fe, ok
}

// findResume finds the state of the run to continue: the one in
// --report-dir, the one named by --run-id, or the newest run of this
// instance (see NewestState). A finished run gives a *FinishedError; an
// unreadable state an InputError naming the file.
func (r *run) findResume() (*State, error) {
	var path string
	switch {
	case r.opts.ReportDir != "":
		path = filepath.Join(r.opts.ReportDir, StateFile)
	case r.opts.RunID != "":
		if err := ValidRunID(r.opts.RunID); err != nil {
			return nil, err
		}
		path = filepath.Join(RunsDir(r.env.Dir, r.opts.RunID), StateFile)
	}
	var st *State
	if path != "" {
		var err error
		st, err = LoadState(path)
		if errors.Is(err, os.ErrNotExist) {
			return nil, inputErrorf("there is no run to resume at %s", path)
		}
		if err != nil {
			return nil, inputErrorf("cannot resume: %v", err)
		}
		if st.Instance != r.opts.Instance {
			return nil, inputErrorf("run %s belongs to instance %s, not %s; give --name %s to resume it", st.RunID, st.Instance, r.opts.Instance, st.Instance)
		}
	} else {
		var err error
		st, path, err = NewestState(r.env.Dir, r.opts.Instance)
		if err != nil {
			return nil, err
		}
		if st == nil {
			return nil, inputErrorf("there is no earlier run of instance %s in %s to resume; run without --resume", r.opts.Instance, RunsDir(r.env.Dir, ""))
		}
	}
	if st.Complete() {
		return nil, &FinishedError{RunID: st.RunID, Status: st.Result.Status, Dir: filepath.Dir(path)}
	}
	return st, nil
}

// NewestState returns the state of the newest run of instance under
// envDir/.proeftuin/runs and its path, or nil when there is none. Newest
// is the run whose state.json was written last; folders without one
// (those of `check`) are not runs. The newest state that cannot be read
// is an InputError naming the file: it may be the run the user means,
// and resuming an older one instead would continue the wrong run.
func NewestState(envDir, instance string) (*State, string, error) {
	entries, err := os.ReadDir(RunsDir(envDir, ""))
	if errors.Is(err, os.ErrNotExist) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	type cand struct {
		path string
		mod  time.Time
		name string
	}
	var cands []cand
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		p := filepath.Join(RunsDir(envDir, e.Name()), StateFile)
		fi, err := os.Lstat(p)
		if err != nil {
			continue
		}
		cands = append(cands, cand{p, fi.ModTime(), e.Name()})
	}
	sort.Slice(cands, func(i, j int) bool {
		if !cands[i].mod.Equal(cands[j].mod) {
			return cands[i].mod.After(cands[j].mod)
		}
		return cands[i].name > cands[j].name
	})
	for _, c := range cands {
		st, err := LoadState(c.path)
		if err != nil {
			return nil, "", inputErrorf("cannot resume: the newest run's state %s cannot be read (%v); "+
				"resume an earlier run with --run-id, move the folder %s away, or start a new run without --resume",
				c.path, err, filepath.Dir(c.path))
		}
		if st.Instance == instance {
			return st, c.path, nil
		}
	}
	return nil, "", nil
}

// ValidRunID refuses a run ID that is not a plain folder name: it is
// joined to the runs folder and must not lead out of it.
func ValidRunID(id string) error {
	if id == "" || id == "." || id == ".." || strings.ContainsAny(id, `/\:`) || filepath.Base(id) != id || !filepath.IsLocal(id) {
		return inputErrorf("invalid --run-id %q: use letters, digits, '-', '_' and '.', without a folder", id)
	}
	return nil
}

// checkChanged refuses to resume when a step that passed in the earlier
// run was declared differently since, unless Force: its earlier result no
// longer says anything about the step as it is now. With Force such steps
// run again.
func (r *run) checkChanged(earlier *State) error {
	var changed []string
	for _, s := range earlier.Result.Steps {
		cur, ok := r.hashes[s.ID]
		if !ok || s.Status != report.Passed {
			continue
		}
		if earlier.StepHashes[s.ID] != cur {
			changed = append(changed, s.ID)
		}
	}
	if len(changed) == 0 || r.opts.Force {
		return nil
	}
	return inputErrorf("cannot resume run %s: step(s) %s changed since they passed in that run; "+
		"use --resume --force to run the changed steps again, or start a new run without --resume",
		earlier.RunID, strings.Join(changed, ", "))
}

// NewRunID returns a run ID that sorts by time: 20260312-141503-9f3a.
func NewRunID(t time.Time) string {
	var b [2]byte
	_, _ = rand.Read(b[:])
	return t.Format("20060102-150405") + "-" + hex.EncodeToString(b[:])
}

// StepHashes hashes every step of env (see StepHash).
func StepHashes(env *config.Environment) map[string]string {
	out := make(map[string]string, len(env.Steps))
	for _, s := range env.Steps {
		out[s.ID] = StepHash(env, s)
	}
	return out
}

// StepHash is a SHA-256 (hex) over the step's decoded model as canonical
// JSON (object keys sorted), without source positions (moving a step or
// adding a comment is no change) and with paths of the environment folder
// relative to it (moving the folder is no change either).
func StepHash(env *config.Environment, s *config.Step) string {
	data, err := json.Marshal(s)
	if err != nil {
		// The model holds only plain data; this cannot happen.
		panic(fmt.Sprintf("runner: hash step %s: %v", s.ID, err))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		panic(fmt.Sprintf("runner: hash step %s: %v", s.ID, err))
	}
	v = canonical(v, env.Dir)
	data, _ = json.Marshal(v) // maps marshal with sorted keys
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// canonical drops DeclRange fields and makes folder paths relative.
func canonical(v any, dir string) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if k == "DeclRange" || k == "AttrRanges" {
				delete(x, k)
				continue
			}
			x[k] = canonical(e, dir)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = canonical(e, dir)
		}
		return x
	case string:
		if dir != "" && filepath.IsAbs(x) && strings.HasPrefix(x, dir+string(filepath.Separator)) {
			if rel, err := filepath.Rel(dir, x); err == nil {
				return "./" + filepath.ToSlash(rel)
			}
		}
		return x
	}
	return v
}

// PlanHash is a SHA-256 (hex) over the plan's header and its steps'
// hashes in plan order.
func PlanHash(env *config.Environment, hashes map[string]string) string {
	h := sha256.New()
	if env.Plan != nil {
		fmt.Fprintf(h, "plan\x00%s\x00%s\x00%s\x00", env.Plan.Name, env.Plan.Title, env.Plan.Description)
	}
	for _, s := range env.Steps {
		fmt.Fprintf(h, "step\x00%s\x00%s\x00", s.ID, hashes[s.ID])
	}
	return hex.EncodeToString(h.Sum(nil))
}

func toolInfo() report.Tool { return report.Tool{Name: "proeftuin", Version: version.Version} }
