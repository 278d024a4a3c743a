package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// RenderMarkdown writes report.md: the evaluation report a student hands
// in, readable as plain text and on GitLab/GitHub.
func RenderMarkdown(w io.Writer, r *Result, lang string) error {
	m, err := catalogueFor(r, lang)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	md := &mdWriter{w: bw, m: m}
	md.render(r)
	return bw.Flush()
}

type mdWriter struct {
	w *bufio.Writer
	m messages
}

func (md *mdWriter) p(format string, args ...any) {
	fmt.Fprintf(md.w, format, args...)
}

func (md *mdWriter) line(s string) { md.w.WriteString(s + "\n") }

// status is "✔ Geslaagd".
func (md *mdWriter) status(s Status) string { return symbol(s) + " " + md.m.status(s) }

func (md *mdWriter) render(r *Result) {
	m := md.m
	title := m.T(titleKey(r))
	if t := envTitle(r); t != "" {
		title += ": " + t
	}
	md.line("# " + mdText(title))
	md.line("")
	md.line("**" + m.T("meta.result") + ": " + md.status(r.Status) + "**")
	md.line("")

	// Metadata.
	md.line("| " + m.T("meta") + " | |")
	md.line("| --- | --- |")
	row := func(k, v string) { md.line("| " + k + " | " + mdCell(v) + " |") }
	env := r.Environment.Name
	if r.Environment.Version != "" {
		env += " (" + m.T("meta.version", r.Environment.Version) + ")"
	}
	row(m.T("meta.environment"), orDash(env))
	row(m.T("meta.instance"), orDash(r.Environment.Instance))
	if r.Plan != nil {
		pl := r.Plan.Name
		if r.Plan.Title != "" {
			pl += " — " + r.Plan.Title
		}
		row(m.T("meta.plan"), orDash(pl))
	}
	author := r.Author
	if author == "" {
		author = m.T("meta.no_author")
	}
	row(m.T("meta.author"), author)
	if a := m.amendedText(r); a != "" {
		row(m.T("meta.amended"), a)
	}
	row(m.T("meta.date"), m.date(r.Started))
	row(m.T("meta.duration"), m.duration(r.DurationMS))
	row(m.T("meta.tool"), orDash(strings.TrimSpace(r.Tool.Name+" "+r.Tool.Version)))
	row(m.T("meta.engine"), orDash(engineLine(r.Engine)))
	md.line("| " + m.T("meta.hash") + " | " + mdCode(orDash(r.Environment.Hash)) + " |")
	if r.Plan != nil && r.Plan.Hash != "" {
		md.line("| " + m.T("meta.plan_hash") + " | " + mdCode(r.Plan.Hash) + " |")
	}
	if r.RunID != "" {
		md.line("| " + m.T("meta.run_id") + " | " + mdCode(r.RunID) + " |")
	}
	md.line("")

	// Summary.
	md.line("## " + m.T("summary"))
	md.line("")
	md.line("| | " + strings.Join([]string{m.T("summary.total"), m.status(Passed), m.status(Failed), m.status(Skipped), m.status(RolledBack), m.status(Interrupted)}, " | ") + " |")
	md.line("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
	counts := func(name string, c Counts) {
		md.p("| %s | %d | %d | %d | %d | %d | %d |\n", name, c.Total, c.Passed, c.Failed, c.Skipped, c.RolledBack, c.Interrupted)
	}
	if r.HasSteps() {
		counts(m.T("steps"), r.Summary.Steps)
	}
	counts(m.T("checks"), r.Summary.Checks)
	md.line("")
	q := r.Summary.Requirements
	md.line(m.T("requirements") + ": " + m.T("summary.requirements", q.Verified, q.Total, q.Failed, q.NotVerified))
	md.line("")

	md.feedback(r)
	md.evaluation(r)
	md.steps(r)
	md.acceptance(r)
	md.matrix(r)
	md.images(r)

	md.line("---")
	md.line("")
	md.line("_" + mdText(m.T("footer", orDash(r.Tool.Name), r.Tool.Version, r.Schema)) + "_")
}

func (md *mdWriter) evaluation(r *Result) {
	m := md.m
	md.line("## " + m.T("eval") + " (B1-K2-W3)")
	md.line("")
	md.line(m.T("eval.intro"))
	md.line("")

	md.line("### " + m.T("eval.passed"))
	md.line("")
	s := r.Summary
	if s.Steps.Total > 0 {
		md.line("- " + m.T("eval.passed.steps", s.Steps.Passed, s.Steps.Total))
		// The passed steps, nested under the line about the steps.
		for _, st := range r.Steps {
			if st.Status == Passed {
				md.line("  - " + symbol(Passed) + " " + mdText(stepLabel(st)))
			}
		}
	}
	if s.Checks.Total > 0 {
		md.line("- " + m.T("eval.passed.checks", s.Checks.Passed, s.Checks.Total))
	}
	if s.Requirements.Total > 0 {
		md.line("- " + m.T("eval.passed.reqs", s.Requirements.Verified, s.Requirements.Total))
	}
	md.line("")

	md.line("### " + m.T("eval.deviations"))
	md.line("")
	if len(r.Deviations) == 0 {
		md.line(m.T("eval.deviations.none"))
	}
	for _, d := range r.Deviations {
		md.line("- " + mdText(m.deviation(d, r)))
	}
	md.line("")

	if len(r.Steps) > 0 {
		md.line("### " + m.T("eval.time"))
		md.line("")
		total := stepsTotalMS(r.Steps)
		planned, withPlan := plannedMS(r.Steps)
		if withPlan {
			md.tableRow([]string{m.T("step"), m.T("col.status"), m.T("col.attempts"), m.T("eval.time.planned"), m.T("col.duration"), m.T("eval.time.diff"), m.T("eval.time.share")})
			md.line("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
			for _, st := range r.Steps {
				pl, df := "—", "—"
				if st.PlannedMS > 0 {
					pl, df = m.duration(st.PlannedMS), m.diff(st.DurationMS, st.PlannedMS)
				}
				md.p("| %s | %s | %d | %s | %s | %s | %d%% |\n", mdCell(stepLabel(st)), md.status(st.Status), st.Attempts, pl, m.duration(st.DurationMS), df, percent(st.DurationMS, total))
			}
			md.p("| **%s** | | | **%s** | **%s** | **%s** | 100%% |\n", m.T("summary.total"), m.duration(planned), m.duration(total), m.diff(total, planned))
			md.line("")
			md.line(mdText(m.overranText(r.Steps)))
		} else {
			md.tableRow([]string{m.T("step"), m.T("col.status"), m.T("col.attempts"), m.T("col.duration"), m.T("eval.time.share")})
			md.line("| --- | --- | ---: | ---: | ---: |")
			for _, st := range r.Steps {
				md.p("| %s | %s | %d | %s | %d%% |\n", mdCell(stepLabel(st)), md.status(st.Status), st.Attempts, m.duration(st.DurationMS), percent(st.DurationMS, total))
			}
			md.p("| **%s** | | | **%s** | 100%% |\n", m.T("summary.total"), m.duration(total))
		}
		md.line("")
	}

	md.line("### " + m.T("eval.unverified"))
	md.line("")
	un := unverified(r)
	if len(un) == 0 {
		md.line(m.T("eval.unverified.none"))
	}
	for _, row := range un {
		md.line("- " + verdictSymbol(row.Verdict) + " **" + mdText(row.ID) + "** " + mdText(row.Title) + " — " + m.verdict(row.Verdict) + ": " + m.unverifiedReason(row))
	}
	md.line("")
	md.reflection(r.Notes, "reflect.intro")
}

// reflection writes the reflection questions as headings, each with what
// the student's notes say under the matching heading, or room to write.
func (md *mdWriter) reflection(notes, intro string) {
	m := md.m
	md.line("### " + m.T("notes"))
	md.line("")
	notes = strings.ToValidUTF8(notes, "\uFFFD")
	if strings.TrimSpace(notes) == "" {
		md.line(mdText(m.T(intro)))
		md.line("")
	}
	qs, other := reflections(notes, m)
	for _, q := range qs {
		md.line("#### " + q.Question)
		md.line("")
		if strings.TrimSpace(q.Text) == "" {
			md.line("_" + m.T("reflect.empty") + "_")
		} else {
			md.line(strings.TrimRight(q.Text, "\n"))
		}
		md.line("")
	}
	if strings.TrimSpace(other) != "" {
		md.line("#### " + m.T("reflect.other"))
		md.line("")
		md.line(strings.TrimRight(demoteHeadings(other), "\n"))
		md.line("")
	}
}

func (md *mdWriter) steps(r *Result) {
	if len(r.Steps) == 0 {
		return
	}
	m := md.m
	md.line("## " + m.T("steps"))
	md.line("")
	for i, st := range r.Steps {
		md.line(fmt.Sprintf("### %d. %s", i+1, mdText(stepLabel(st))))
		md.line("")
		facts := []string{
			"**" + m.T("col.status") + ":** " + md.status(st.Status),
			"**" + m.T("col.attempts") + ":** " + strconv.Itoa(st.Attempts),
			"**" + m.T("col.duration") + ":** " + m.duration(st.DurationMS),
		}
		if len(st.Implements) > 0 {
			facts = append(facts, "**"+m.T("step.implements")+":** "+mdText(strings.Join(st.Implements, ", ")))
		}
		md.line(strings.Join(facts, " · "))
		md.line("")
		if st.Resumed {
			md.line("_" + m.T("step.resumed") + "_")
			md.line("")
		}
		if why := m.why(st.Reason, st.Error); why != "" {
			md.line("**" + m.T("step.error") + ":**")
			md.line("")
			md.fence("text", clean(why))
		}
		if len(st.Actions) == 0 && len(st.Checks) == 0 && len(st.Rollback) == 0 && !st.Resumed {
			md.line("_" + m.T("step.none") + "_")
			md.line("")
		}
		if len(st.Actions) > 0 {
			md.line("#### " + m.T("step.actions"))
			md.line("")
			for j, a := range st.Actions {
				md.action(m.T("action", j+1, a.Kind), a)
			}
		}
		if len(st.Checks) > 0 {
			md.line("#### " + m.T("step.checks"))
			md.line("")
			md.checkTable(st.Checks, false)
		}
		if len(st.Rollback) > 0 || st.RollbackStatus != "" {
			head := "#### " + m.T("step.rollback")
			if st.RollbackStatus != "" {
				head += ": " + md.status(st.RollbackStatus)
			}
			md.line(head)
			md.line("")
			for j, a := range st.Rollback {
				md.action(m.T("action.rollback", j+1, a.Kind), a)
			}
		}
	}
}

func (md *mdWriter) action(title string, a Action) {
	m := md.m
	head := "**" + mdText(title) + "**"
	if a.Service != "" {
		head += " (" + mdText(a.Service) + ")"
	}
	head += " — " + md.status(a.Status)
	if ec := exitCode(a); ec != "" {
		head += " · " + m.T("action.exit_code") + " " + ec
	}
	head += " · " + m.duration(a.DurationMS)
	md.line(head)
	md.line("")
	if a.Detail != "" {
		md.line(mdText(oneLine(a.Detail)))
		md.line("")
	}
	if len(a.Command) > 0 {
		md.line(m.T("action.command") + ":")
		md.line("")
		md.fence("sh", clean(commandLine(a.Command)))
	}
	if why := m.actionWhy(a); why != "" {
		md.line(m.T("step.error") + ":")
		md.line("")
		md.fence("text", clean(why))
	}
	md.output(m.T("action.stdout"), a.Stdout, a.Truncated)
	md.output(m.T("action.stderr"), a.Stderr, a.Truncated)
}

func (md *mdWriter) output(label, s string, truncated bool) {
	t, cut := tail(s, tailLines)
	if t == "" {
		return
	}
	md.line(md.m.outputLabel(label, t, cut, truncated) + ":")
	md.line("")
	md.fence("text", t)
}

// fence writes s in a fenced code block whose fence is longer than any
// run of backticks in s, so nothing inside can close it.
func (md *mdWriter) fence(info, s string) {
	f := strings.Repeat("`", max(3, longestRun(s, '`')+1))
	md.line(f + info)
	md.line(strings.TrimRight(s, "\n"))
	md.line(f)
	md.line("")
}

func (md *mdWriter) checkTable(checks []Check, acceptance bool) {
	m := md.m
	cols := []string{m.T("check"), m.T("check.kind")}
	if acceptance {
		cols = append(cols, m.T("check.verifies"))
	}
	cols = append(cols, m.T("check.from"), m.T("col.status"), m.T("expected"), m.T("actual"), m.T("check.attempts"), m.T("col.duration"))
	md.tableHead(cols)
	for _, c := range checks {
		from := c.From
		if from == "" {
			from = m.T("check.host")
		}
		cells := []string{mdCell(checkLabel(c)), mdCell(c.Kind)}
		if acceptance {
			cells = append(cells, mdCell(orDash(strings.Join(c.Verifies, ", "))))
		}
		cells = append(cells, mdCell(from), md.status(c.Status), mdCell(orDash(m.checkExpected(c))), mdCell(orDash(m.checkActual(c))), strconv.Itoa(c.Attempts), m.duration(c.DurationMS))
		md.tableRow(cells)
	}
	md.line("")
}

// section writes the heading of the section key and, when it has no rows
// (n is 0), the key's ".none" line; it reports whether rows follow.
func (md *mdWriter) section(key string, n int) bool {
	md.line("## " + md.m.T(key))
	md.line("")
	if n == 0 {
		md.line(md.m.T(key + ".none"))
		md.line("")
		return false
	}
	return true
}

// tableRow writes one row of a table.
func (md *mdWriter) tableRow(cells []string) {
	md.line("| " + strings.Join(cells, " | ") + " |")
}

// tableHead writes a table's header row and its separator.
func (md *mdWriter) tableHead(cols []string) {
	md.tableRow(cols)
	md.line("|" + strings.Repeat(" --- |", len(cols)))
}

func (md *mdWriter) acceptance(r *Result) {
	if !md.section("acceptance", len(r.Acceptance)) {
		return
	}
	md.checkTable(r.Acceptance, true)
}

func (md *mdWriter) matrix(r *Result) {
	m := md.m
	if !md.section("matrix", len(r.Matrix)) {
		return
	}
	md.line(m.T("matrix.intro"))
	md.line("")
	cols := []string{m.T("matrix.id"), m.T("col.title"), m.T("matrix.kind"), m.T("matrix.priority"), m.T("matrix.satisfied"), m.T("matrix.verified"), m.T("matrix.implemented"), m.T("matrix.verdict")}
	md.tableHead(cols)
	for _, row := range r.Matrix {
		cells := []string{
			"**" + mdCell(row.ID) + "**", mdCell(orDash(row.Title)), mdCell(orDash(row.Kind)), mdCell(orDash(row.Priority)),
			mdCell(orDash(strings.Join(row.SatisfiedBy, ", "))),
			mdCell(orDash(strings.Join(row.VerifiedBy, ", "))),
			mdCell(orDash(strings.Join(row.Implemented, ", "))),
			verdictSymbol(row.Verdict) + " " + m.verdict(row.Verdict),
		}
		md.tableRow(cells)
	}
	md.line("")
}

func (md *mdWriter) images(r *Result) {
	m := md.m
	if !md.section("images", len(r.Images)) {
		return
	}
	md.tableHead([]string{m.T("images.service"), m.T("images.ref"), m.T("images.id")})
	for _, im := range r.Images {
		md.tableRow([]string{mdCell(orDash(im.Service)), mdCell(orDash(im.Ref)), mdCode(orDash(im.ID))})
	}
	md.line("")
}

// mdText escapes text for inline Markdown: characters that would start
// emphasis, code, links, HTML or a table cell are backslash-escaped, and
// line breaks become spaces.
func mdText(s string) string {
	s = oneLine(s)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '&', '~':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mdCell escapes text for a table cell: like mdText, but line breaks are
// kept as <br> so multi-line expected/actual values stay readable.
func mdCell(s string) string {
	s = strings.TrimRight(clean(s), "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = mdText(l)
	}
	return strings.Join(lines, "<br>")
}

// mdCode is s as an inline code span for a table cell; it survives
// backticks, and pipes are escaped as GFM tables require.
func mdCode(s string) string {
	s = strings.ReplaceAll(oneLine(s), "|", `\|`)
	f := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return f + " " + s + " " + f
	}
	return f + s + f
}

// longestRun is the length of the longest run of c in s.
func longestRun(s string, c byte) int {
	best, cur := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}

// demoteHeadings makes every Markdown heading of the student's notes
// (outside code fences) a level-5 heading, so a "# Title" in the notes
// stays under "#### Other notes" instead of breaking the report's outline.
func demoteHeadings(s string) string {
	lines := strings.Split(s, "\n")
	fence := ""
	for i, line := range lines {
		t := strings.TrimSpace(line)
		switch {
		case fence == "" && (strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~")):
			fence = t[:3]
		case fence != "" && strings.HasPrefix(t, fence):
			fence = ""
		case fence == "" && strings.HasPrefix(t, "#"):
			level := len(t) - len(strings.TrimLeft(t, "#"))
			if level < 5 && (len(t) == level || t[level] == ' ') {
				lines[i] = "#####" + t[level:]
			}
		}
	}
	return strings.Join(lines, "\n")
}
