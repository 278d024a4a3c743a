package report

// Summarize derives everything in r that follows from the steps and checks:
// Summary counts, the requirement verdicts (and the VerifiedBy/Implemented
// traces), Deviations and the overall Status. It overwrites what was there,
// so calling it twice gives the same document. The rules are in
// docs/report-schema.md.
func Summarize(r *Result) {
	if r == nil {
		return
	}
	if r.Schema == 0 {
		r.Schema = SchemaVersion
	}
	r.Summary = Summary{}

	// Step and check counts.
	for _, s := range r.Steps {
		count(&r.Summary.Steps, s.Status)
		for _, c := range s.Checks {
			count(&r.Summary.Checks, c.Status)
		}
	}
	for _, c := range r.Acceptance {
		count(&r.Summary.Checks, c.Status)
	}

	// Requirement verdicts.
	for i := range r.Matrix {
		row := &r.Matrix[i]
		var statuses []Status
		for _, c := range r.Acceptance {
			if contains(c.Verifies, row.ID) {
				statuses = append(statuses, c.Status)
				row.VerifiedBy = appendUnique(row.VerifiedBy, c.Name)
			}
		}
		for _, s := range r.Steps {
			if !contains(s.Implements, row.ID) {
				continue
			}
			row.Implemented = appendUnique(row.Implemented, s.ID)
			for _, c := range s.Checks {
				statuses = append(statuses, c.Status)
				row.VerifiedBy = appendUnique(row.VerifiedBy, StepCheckRef(s.ID, c.Name))
			}
		}
		row.Verdict = verdict(statuses)
		r.Summary.Requirements.Total++
		switch row.Verdict {
		case Verified:
			r.Summary.Requirements.Verified++
		case VerdictFailed:
			r.Summary.Requirements.Failed++
		default:
			r.Summary.Requirements.NotVerified++
		}
	}

	r.Deviations = deviations(r.Steps)
	r.Status = overall(r)
}

// count adds one status to c. Error counts as failed: the thing did not
// do what the plan said.
func count(c *Counts, s Status) {
	c.Total++
	switch s {
	case Passed:
		c.Passed++
	case Failed, Error:
		c.Failed++
	case Skipped:
		c.Skipped++
	case RolledBack:
		c.RolledBack++
	case Interrupted:
		c.Interrupted++
	default:
		// An unknown status did not pass; count it as failed so the
		// counts add up and nothing unknown looks like a success.
		c.Failed++
	}
}

// verdict: "failed" when any check failed (or could not run because of an
// error), "verified" when there is at least one check and all of them
// passed, "not_verified" otherwise (no checks, or some did not run).
func verdict(statuses []Status) string {
	if len(statuses) == 0 {
		return NotVerified
	}
	all := true
	for _, s := range statuses {
		switch s {
		case Failed, Error, RolledBack:
			return VerdictFailed
		case Passed:
		default:
			all = false
		}
	}
	if all {
		return Verified
	}
	return NotVerified
}

func deviations(steps []Step) []Deviation {
	var out []Deviation
	for _, s := range steps {
		if s.Resumed {
			out = append(out, Deviation{Step: s.ID, Kind: DevResumed})
		}
		if s.Status == Passed && s.Attempts > 1 {
			out = append(out, Deviation{Step: s.ID, Kind: DevRetried, Attempts: s.Attempts})
		}
		switch s.Status {
		case Failed, Error:
			out = append(out, Deviation{Step: s.ID, Kind: DevFailed, Attempts: s.Attempts, Detail: s.Error, Reason: s.Reason.clone()})
		case Skipped:
			out = append(out, Deviation{Step: s.ID, Kind: DevSkipped, Detail: s.Error, Reason: s.Reason.clone()})
		case Interrupted:
			out = append(out, Deviation{Step: s.ID, Kind: DevInterrupted, Detail: s.Error, Reason: s.Reason.clone()})
		}
		if s.Status == RolledBack || s.RollbackStatus != "" {
			rb := s.RollbackStatus
			if rb == "" {
				rb = Passed
			}
			d := Deviation{Step: s.ID, Kind: DevRolledBack, Attempts: s.Attempts, Rollback: rb}
			if s.Status == RolledBack {
				d.Detail, d.Reason = s.Error, s.Reason.clone()
			}
			out = append(out, d)
		}
	}
	return out
}

// overall: interrupted > failed > error > passed. A rolled-back step and a
// failed or erroring check count as failed; a check that could not run
// because of an engine problem (error) without any failure gives error.
func overall(r *Result) Status {
	var interrupted, failed, errored bool
	note := func(s Status) {
		switch s {
		case Interrupted:
			interrupted = true
		case Failed, RolledBack:
			failed = true
		case Error:
			errored = true
		}
	}
	for _, s := range r.Steps {
		note(s.Status)
		if s.Status == Passed {
			for _, c := range s.Checks {
				note(c.Status)
			}
		}
	}
	for _, c := range r.Acceptance {
		note(c.Status)
	}
	switch {
	case interrupted:
		return Interrupted
	case failed:
		return Failed
	case errored:
		return Error
	}
	return Passed
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func appendUnique(list []string, s string) []string {
	if contains(list, s) {
		return list
	}
	return append(list, s)
}
