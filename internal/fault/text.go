package fault

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/instance"
	"github.com/proeftuin/proeftuin/internal/report"
)

// WriteList prints the faults of env (or that it declares none): id, title, priority and category;
// for teachers (teacher) also each fault's inject, recovered checks and
// solution, with where it is declared.
func WriteList(w io.Writer, env *config.Environment, teacher bool) {
	if len(env.Faults) == 0 {
		fmt.Fprintf(w, "the environment %s declares no faults\n", env.Name)
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTITLE\tPRIORITY\tCATEGORY")
	for _, f := range env.Faults {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.ID, f.Title, f.Priority, f.Category)
	}
	tw.Flush()
	if !teacher {
		return
	}
	for _, f := range env.Faults {
		fmt.Fprintf(w, "\n%s (%s:%d)\n", f.ID, f.DeclRange.Filename, f.DeclRange.Start.Line)
		fmt.Fprintf(w, "  inject:\n%s  recovered: %s\n  solution:\n%s",
			actionLines(f.Inject), strings.Join(checkNames(Recovered(env, f)), ", "), actionLines(f.Solution))
	}
}

func actionLines(actions []*config.Action) string {
	var b strings.Builder
	for _, a := range actions {
		fmt.Fprintf(&b, "    - %s\n", Describe(a))
	}
	return b.String()
}

func checkNames(checks []*config.Check) []string {
	out := make([]string, len(checks))
	for i, ch := range checks {
		out[i] = ch.Name
	}
	return out
}

// WriteTicket prints what the student sees of an incident: its number,
// time, priority, category and the reporter's text; never the cause.
func WriteTicket(w io.Writer, inc *Incident) {
	fmt.Fprintf(w, "Incident %s  reported %s  priority %s  category %s\n\n", inc.ID, inc.ReportedAt.Local().Format("2006-01-02 15:04"), inc.Priority, inc.Category)
	fmt.Fprintf(w, "  %s\n\n", strings.ReplaceAll(inc.Ticket, "\n", "\n  "))
	fmt.Fprintln(w, "Diagnose with 'proeftuin exec' and 'proeftuin logs' (recorded), 'proeftuin fault hint' for a hint, 'proeftuin fault check' when repaired.")
}

// WriteChecks prints each recovered check's status and returns how many
// do not pass.
func WriteChecks(w io.Writer, checks []report.Check) int {
	failing := 0
	for _, ch := range checks {
		fmt.Fprintf(w, "%-8s %s\n", ch.Status, ch.Name)
		if ch.Status != report.Passed {
			failing++
		}
	}
	return failing
}

// WriteCheckOutcome prints each recovered check's status and, when they
// all pass, that inc is resolved and where its report is; it returns how
// many checks do not pass.
func WriteCheckOutcome(w io.Writer, envDir string, inc *Incident, checks []report.Check, now time.Time) int {
	failing := WriteChecks(w, checks)
	if failing == 0 {
		dir := NewStore(envDir).IncidentDir(inc.ID)
		fmt.Fprintf(w, "incident %s resolved in %s; report: %s\n", inc.ID, inc.TimeToRepair(now), dir)
	}
	return failing
}

// WriteHint prints hint n of inc, or that there are no more (hint empty).
func WriteHint(w io.Writer, hint string, n int, inc *Incident) {
	if hint == "" {
		fmt.Fprintf(w, "incident %s: no more hints (%d used)\n", inc.ID, n)
		return
	}
	fmt.Fprintf(w, "hint %d of %d: %s\n", n, inc.HintsTotal, hint)
}

// WriteReset prints that inc was closed as reset and what was restored.
func WriteReset(w io.Writer, inc *Incident) {
	fmt.Fprintf(w, "incident %s closed as reset; restored: %s\n", inc.ID, strings.Join(inc.Services, ", "))
}

// RecordDiagnosis adds a diagnosis command (exec, logs) to the timeline
// of the instance's open incident, kept in the lab folder dir (nothing
// when dir is ""); a failure to record is only a warning on errw.
func RecordDiagnosis(errw io.Writer, dir, instance, kind string, args []string) {
	if dir == "" {
		return
	}
	if err := Record(dir, instance, kind, strings.Join(args, " "), time.Now()); err != nil {
		fmt.Fprintf(errw, "proeftuin: warning: the open incident's timeline: %v\n", err)
	}
}

// RecordDiagnosisOf is RecordDiagnosis for the lab folder inst was
// brought up from (its containers say which), so the command is recorded
// whatever folder the student runs it in; env's folder (env may be nil)
// is the fallback for containers without that label.
func RecordDiagnosisOf(ctx context.Context, errw io.Writer, inst *instance.Instance, env *config.Environment, kind string, args []string) {
	dir, err := inst.Folder(ctx)
	if err != nil {
		fmt.Fprintf(errw, "proeftuin: warning: the open incident's timeline: %v\n", err)
		return
	}
	if dir == "" && env != nil {
		dir = env.Dir
	}
	RecordDiagnosis(errw, dir, inst.Name(), kind, args)
}
