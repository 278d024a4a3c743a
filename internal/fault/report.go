package fault

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/report"
	"github.com/proeftuin/proeftuin/internal/runner"
)

// Report file names in an incident's folder.
const (
	ReportMarkdown = "incident.md"
	ReportJSON     = "incident-report.json"
)

// labels of the incident report, by language.
var labels = map[string]map[string]string{
	"en": {
		"title": "Incident report", "ticket": "Ticket", "number": "Number", "reported": "Reported at",
		"priority": "Priority", "category": "Category", "status": "Status", "text": "Reported",
		"timeline": "Timeline", "ttr": "Time to repair", "hints": "Hints used", "before": "Recovered checks before the fault",
		"after": "Recovered checks after the repair", "notes": "Reflection", "author": "Author",
		"cause": "Cause (teacher)", "solution": "Reference repair (teacher)", "none": "none",
	},
	"nl": {
		"title": "Incidentrapport", "ticket": "Melding", "number": "Nummer", "reported": "Gemeld op",
		"priority": "Prioriteit", "category": "Categorie", "status": "Status", "text": "Melding",
		"timeline": "Tijdlijn", "ttr": "Hersteltijd", "hints": "Gebruikte hints", "before": "Herstelcontroles vóór de storing",
		"after": "Herstelcontroles na het herstel", "notes": "Reflectie", "author": "Auteur",
		"cause": "Oorzaak (docent)", "solution": "Voorbeeldherstel (docent)", "none": "geen",
	},
}

// Doc is the incident report as JSON: the incident with its merged
// timeline and time to repair; the inject only in the teacher's view.
type Doc struct {
	*Incident
	TimeToRepairS int64 `json:"time_to_repair_s"`
}

// WriteReport writes the student's incident report (Markdown and JSON,
// without cause or solution) into the incident's folder.
func WriteReport(store Store, inc *Incident, f *config.Fault, lang string, now time.Time) error {
	dir := store.IncidentDir(inc.ID)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	md := Markdown(store, inc, f, lang, false, now)
	if err := writeAtomic(filepath.Join(dir, ReportMarkdown), []byte(md)); err != nil {
		return err
	}
	data, err := JSON(store, inc, false, now)
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, ReportJSON), data)
}

// JSON renders the report document; teacher adds the inject.
func JSON(store Store, inc *Incident, teacher bool, now time.Time) ([]byte, error) {
	cp := *inc
	cp.Timeline = store.Timeline(inc)
	if !teacher {
		cp.Inject = nil
	}
	data, err := json.MarshalIndent(Doc{Incident: &cp, TimeToRepairS: int64(inc.TimeToRepair(now).Seconds())}, "", "  ")
	return append(data, '\n'), err
}

// Markdown renders the incident report in lang (nl or en); teacher adds
// the cause (the inject) and the reference repair.
func Markdown(store Store, inc *Incident, f *config.Fault, lang string, teacher bool, now time.Time) string {
	l := labels["nl"]
	if lang == "en" {
		l = labels["en"]
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# %s %s\n\n## %s\n\n", l["title"], inc.ID, l["ticket"])
	fmt.Fprintf(&b, "| | |\n|---|---|\n| %s | %s |\n| %s | %s |\n| %s | %s |\n| %s | %s |\n| %s | %s |\n\n",
		l["number"], inc.ID, l["reported"], inc.ReportedAt.Format(time.RFC3339), l["priority"], inc.Priority,
		l["category"], inc.Category, l["status"], inc.Status)
	fmt.Fprintf(&b, "> %s\n\n", strings.ReplaceAll(inc.Ticket, "\n", "\n> "))
	fmt.Fprintf(&b, "## %s\n\n", l["timeline"])
	for _, e := range store.Timeline(inc) {
		fmt.Fprintf(&b, "- %s **%s** %s\n", e.Time.Format("15:04:05"), e.Kind, mdCode(e))
	}
	fmt.Fprintf(&b, "\n**%s:** %s  \n**%s:** %d / %d\n\n", l["ttr"], inc.TimeToRepair(now), l["hints"], inc.HintsUsed, inc.HintsTotal)
	checkTable(&b, l["before"], inc.Before, l["none"])
	checkTable(&b, l["after"], inc.After, l["none"])
	if inc.Notes != "" {
		fmt.Fprintf(&b, "## %s\n\n%s\n\n", l["notes"], strings.TrimSpace(inc.Notes))
	}
	if inc.Author != "" {
		fmt.Fprintf(&b, "**%s:** %s\n\n", l["author"], inc.Author)
	}
	if teacher && f != nil {
		fmt.Fprintf(&b, "## %s\n\n%s\n\n", l["cause"], f.Title)
		for _, a := range inc.Inject {
			fmt.Fprintf(&b, "- %s %s %s (%s)\n", a.Kind, a.Service, strings.Join(a.Command, " ")+a.Detail, a.Status)
		}
		fmt.Fprintf(&b, "\n## %s\n\n", l["solution"])
		for _, a := range f.Solution {
			fmt.Fprintf(&b, "- %s\n", Describe(a))
		}
	}
	return b.String()
}

func mdCode(e Event) string {
	if e.Kind == "exec" || e.Kind == "logs" {
		return "`" + strings.ReplaceAll(e.Text, "`", "'") + "`"
	}
	return e.Text
}

func checkTable(b *strings.Builder, title string, checks []report.Check, none string) {
	fmt.Fprintf(b, "## %s\n\n", title)
	if len(checks) == 0 {
		fmt.Fprintf(b, "%s\n\n", none)
		return
	}
	b.WriteString("| check | status |\n|---|---|\n")
	for _, c := range checks {
		fmt.Fprintf(b, "| %s | %s |\n", c.Name, c.Status)
	}
	b.WriteString("\n")
}

// Describe is one line about an action of a fault, for the teacher.
func Describe(a *config.Action) string {
	switch {
	case a.Exec != nil:
		return fmt.Sprintf("exec in %s: %s", a.Exec.Service, strings.Join(a.Exec.Command, " "))
	case a.Fault != nil:
		return fmt.Sprintf("%s in %s", runner.DescribeFaultAction(a), a.Fault.Service)
	case a.Service != "":
		return a.Kind + " " + a.Service
	}
	return a.Kind
}
