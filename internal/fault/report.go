package fault

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/instance"
	"github.com/proeftuin/proeftuin/internal/report"
	"github.com/proeftuin/proeftuin/internal/runner"
)

// Doc is the incident report document of inc (see report.Incident): the
// timeline with the recorded diagnosis events merged in and the time to
// repair; the cause (inject and reference repair of f) only when teacher.
func Doc(store Store, inc *Incident, f *config.Fault, teacher bool, now time.Time) *report.Incident {
	d := &report.Incident{
		Schema: report.IncidentSchema, ID: inc.ID, Environment: inc.Environment, Instance: inc.Instance,
		Fault: inc.Fault, Ticket: inc.Ticket, Priority: inc.Priority, Category: inc.Category, Status: inc.Status,
		ReportedAt: inc.ReportedAt, ClosedAt: inc.ClosedAt, TimeToRepairS: int64(inc.TimeToRepair(now).Seconds()),
		HintsUsed: inc.HintsUsed, HintsTotal: inc.HintsTotal, Before: inc.Before, After: inc.After,
		Author: inc.Author, Notes: inc.Notes,
	}
	for _, e := range store.Timeline(inc) {
		d.Timeline = append(d.Timeline, report.IncidentEvent(e))
	}
	if teacher {
		c := &report.IncidentCause{Inject: inc.Inject}
		if f != nil {
			c.Title = f.Title
			for _, a := range f.Solution {
				c.Solution = append(c.Solution, Describe(a))
			}
		}
		d.Cause = c
	}
	return d
}

// WriteReport writes the student's incident report (md, html, json and
// junit in lang, without cause or solution) into the incident's folder.
func WriteReport(store Store, inc *Incident, f *config.Fault, lang string, now time.Time) error {
	_, err := report.WriteIncident(store.IncidentDir(inc.ID), Doc(store, inc, f, false, now), lang)
	return err
}

// Render writes the incident report in format (md, html, json, junit)
// and lang; teacher adds the cause and the reference repair.
func Render(w io.Writer, store Store, inc *Incident, f *config.Fault, format, lang string, teacher bool, now time.Time) error {
	return report.RenderIncident(w, Doc(store, inc, f, teacher, now), format, lang)
}

// RenderStored renders incident id, kept in env's folder, as Render
// does: in lang, or else the incident's own language, or else
// fallbackLang. An incident that cannot be read is an
// instance.InputError.
func RenderStored(w io.Writer, env *config.Environment, id, format, lang, fallbackLang string, teacher bool, now time.Time) error {
	store := NewStore(env.Dir)
	inc, err := store.Load(id)
	if err != nil {
		return &instance.InputError{Err: err}
	}
	switch {
	case lang != "":
	case inc.Lang != "":
		lang = inc.Lang
	default:
		lang = fallbackLang
	}
	return Render(w, store, inc, env.Fault(inc.Fault), format, lang, teacher, now)
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
