package labs

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/proeftuin/proeftuin/internal/progress"
	"github.com/proeftuin/proeftuin/internal/report"
)

// Write prints the result: as indented JSON when asJSON, else the verdict
// table (see WriteText). problem, when not empty, is the error that ended
// the verification early, as the user may see it (secrets hidden): it is
// recorded as a problem and the lab is not sound.
func (res *Result) Write(w io.Writer, asJSON bool, reportDir, problem string) error {
	if problem != "" {
		res.Problems = append(res.Problems, problem)
		res.Sound = false
	}
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(res)
	}
	res.WriteText(w, reportDir)
	return nil
}

// WriteText prints the verdict table of a verification; reportDir is
// where the plan's report was kept, as the user should see it ("": not
// kept).
func (res *Result) WriteText(w io.Writer, reportDir string) {
	ms := func(v int64) string { return progress.FormatDuration(time.Duration(v) * time.Millisecond) }
	title := res.Lab
	if res.Title != "" {
		title += " — " + res.Title
	}
	fmt.Fprintf(w, "\nLab %s (instance %s)\n\n", title, res.Instance)
	if len(res.Steps) > 0 {
		fmt.Fprintf(w, "Plan: %s\n", res.Plan)
		for _, s := range res.Steps {
			line := fmt.Sprintf("  %-8s %s", s.Status, s.ID)
			if s.Error != "" {
				line += ": " + s.Error
			}
			fmt.Fprintln(w, line)
		}
		fmt.Fprintln(w)
	}
	if len(res.Checks) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "CHECK\tSOURCE\tVERIFIES\tBEFORE\tAFTER\tVERDICT")
		for _, ch := range res.Checks {
			verifies := strings.Join(ch.Verifies, ",")
			if !ch.Implemented {
				verifies += " (design)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", ch.Name, ch.Source, verifies, statusText(ch.Before), statusText(ch.After), ch.Verdict)
		}
		_ = tw.Flush()
		fmt.Fprintln(w)
	}
	if len(res.Faults) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "FAULT\tSOURCE\tCATEGORY\tVERDICT")
		for _, f := range res.Faults {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.ID, f.Source, f.Category, f.Verdict)
		}
		_ = tw.Flush()
		fmt.Fprintln(w)
	}
	t := res.Timings
	faults := ""
	if len(res.Faults) > 0 {
		faults = ", faults " + ms(t.FaultsMS)
	}
	fmt.Fprintf(w, "Time: up %s, checks before %s, plan %s, checks after %s%s, down %s; total %s\n",
		ms(t.UpMS), ms(t.BeforeMS), ms(t.PlanMS), ms(t.AfterMS), faults, ms(t.DownMS), ms(t.TotalMS))
	if res.Removed {
		fmt.Fprintf(w, "Instance %s removed.\n", res.Instance)
	} else {
		fmt.Fprintf(w, "Instance %s kept; remove it with: proeftuin --name %s down --volumes\n", res.Instance, res.Instance)
	}
	if reportDir != "" {
		fmt.Fprintf(w, "Evaluation report of the plan: %s\n", reportDir)
	}
	for _, warn := range res.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
	if res.Sound {
		n := countImplemented(res)
		what := fmt.Sprintf("%d checks fail", n)
		if n == 1 {
			what = "1 check fails"
		}
		fmt.Fprintf(w, "\nVERDICT: lab %s is sound: %s before the plan and pass%s after it, the plan passes.\n", res.Lab, what, map[bool]string{true: "es", false: ""}[n == 1])
		return
	}
	fmt.Fprintf(w, "\nVERDICT: lab %s is NOT sound:\n", res.Lab)
	for _, p := range res.Problems {
		fmt.Fprintf(w, "  - %s\n", p)
	}
}

func statusText(s report.Status) string {
	if s == "" {
		return "-"
	}
	return string(s)
}

func countImplemented(res *Result) int {
	n := 0
	for _, c := range res.Checks {
		if c.Implemented {
			n++
		}
	}
	return n
}

// WriteCatalogue lists the labs of the catalogue as a table, with how to
// start one.
func WriteCatalogue(w io.Writer, list []Lab) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTITLE\tSERVICES\tREQUIREMENTS\tSTEPS")
	for _, l := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d (%d must)\t%d\n", l.Name, l.Title, strings.Join(l.Services, ", "), l.Requirements, l.Must, l.Steps)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nStart one with: proeftuin init --from NAME DIR")
	return nil
}
