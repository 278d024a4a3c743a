package cli

import (
	"errors"
	"fmt"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/fault"
	"github.com/proeftuin/proeftuin/internal/instance"
	"github.com/proeftuin/proeftuin/internal/policy"
	"github.com/proeftuin/proeftuin/internal/progress"
	"github.com/proeftuin/proeftuin/internal/report"
)

func faultCommand() *ucli.Command {
	lang := &ucli.StringFlag{Name: "lang", Value: "nl", Usage: "`LANGUAGE` of the ticket and the report: nl or en", Action: oneOf("lang", "nl", "en")}
	return &ucli.Command{
		Name:        "fault",
		Usage:       "troubleshooting exercises: break the running environment on purpose, repair it, get an incident report",
		Description: help("fault"),
		Subcommands: []*ucli.Command{
			{
				Name: "list", Usage: "list the faults: id, title, priority and category",
				Flags:  []ucli.Flag{&ucli.BoolFlag{Name: "show-solution", Usage: "teachers: show the inject, the recovered checks and the solution"}},
				Action: runFaultList,
			},
			{
				Name: "start", Usage: "inject a fault into the running instance and print its ticket", ArgsUsage: "ID",
				Flags: append(engineFlags(), lang, lockFlag(),
					&ucli.BoolFlag{Name: "random", Usage: "start a fault chosen at random"},
					&ucli.BoolFlag{Name: "force", Usage: "start even when an incident is open"}),
				Action: runFaultStart,
			},
			{Name: "hint", Usage: "show the next hint of the open incident (it is recorded)", Action: runFaultHint},
			{
				Name: "check", Usage: "run the recovered checks; when all pass, close the incident and write its report",
				Flags: append(engineFlags(), lang, lockFlag(),
					&ucli.StringFlag{Name: "notes", Usage: "your reflection (cause found, fix applied, prevention) from the Markdown `FILE`", TakesFile: true},
					&ucli.StringFlag{Name: "author", Usage: "your `NAME`, shown in the report"}),
				Action: runFaultCheck,
			},
			{
				Name: "report", Usage: "print an incident's report; teachers add the cause and the solution", ArgsUsage: "INCIDENT",
				Flags: []ucli.Flag{lang,
					&ucli.StringFlag{Name: "format", Value: "md", Usage: "`FORMAT` of the report: md, html, json or junit", Action: oneOf("format", "md", "html", "json", "junit")},
					&ucli.BoolFlag{Name: "show-solution", Usage: "teachers: add the cause (the inject) and the reference repair"}},
				Action: runFaultReport,
			},
			{
				Name: "reset", Usage: "restore the design: recreate what the fault touched and close the incident as reset",
				Flags: append(engineFlags(), lockFlag(),
					&ucli.DurationFlag{Name: "wait-timeout", Usage: "readiness timeout for every service, overriding ready.timeout"},
					&ucli.StringSliceFlag{Name: "allow", Usage: "unsafe settings to allow, comma separated: " + strings.Join(policy.Names, ", ")}),
				Action: runFaultReset,
			},
		},
	}
}

func runFaultList(c *ucli.Context) error {
	env, err := loadEnv(c, nil)
	if err != nil {
		return err
	}
	fault.WriteList(c.App.Writer, env, c.Bool("show-solution"))
	return nil
}

// faultSession loads the environment (unless given) and opens its
// instance, locked. An error of the open is the caller's to fail with.
func faultSession(c *ucli.Context, env *config.Environment) (*config.Environment, *session, error) {
	if env == nil {
		var err error
		if env, err = loadEnv(c, nil); err != nil {
			return nil, nil, err
		}
	}
	inst, err := openInstance(c, instanceName(c, env), configOf(c, env), progress.Discard, true)
	return env, inst, err
}

func runFaultStart(c *ucli.Context) error {
	id := c.Args().First()
	if (id == "") == !c.Bool("random") || c.NArg() > 1 {
		return exit(ExitInvalid, errors.New("fault start needs one fault ID or --random; see 'proeftuin fault list'"))
	}
	env, err := loadEnv(c, nil)
	if err != nil {
		return err
	}
	f, err := fault.Find(env, id, c.Bool("random"))
	if err != nil {
		return fail(c, env, err)
	}
	_, inst, err := faultSession(c, env)
	if err != nil {
		// Ctrl-C while connecting or locking: say that nothing was started.
		return fail(c, env, fault.BeforeInject(c.Context, err))
	}
	defer inst.Close()
	inc, err := fault.Start(c.Context, inst.Instance, env, f, fault.Options{Force: c.Bool("force"), Lang: c.String("lang")})
	if inc != nil && inc.Status != fault.StatusInjecting {
		fault.WriteTicket(c.App.Writer, inc)
	}
	return fail(c, env, err)
}

func runFaultHint(c *ucli.Context) error {
	env, err := loadEnv(c, nil)
	if err != nil {
		return err
	}
	hint, n, inc, err := fault.Hint(env, instanceName(c, env), fault.Options{})
	if err != nil {
		return fail(c, env, err)
	}
	fault.WriteHint(c.App.Writer, hint, n, inc)
	return nil
}

func runFaultCheck(c *ucli.Context) error {
	notes, err := report.ReadNotes(c.String("notes"))
	if err != nil {
		return exit(ExitInvalid, fmt.Errorf("--notes: %w", err))
	}
	env, inst, err := faultSession(c, nil)
	if err != nil {
		return fail(c, env, err)
	}
	defer inst.Close()
	lang := "" // the ticket's, unless asked
	if c.IsSet("lang") {
		lang = c.String("lang")
	}
	inc, checks, err := fault.Check(c.Context, inst.Instance, env, fault.Options{Lang: lang, Author: c.String("author"), Notes: notes})
	if err != nil {
		return fail(c, env, err)
	}
	if failing := fault.WriteCheckOutcome(c.App.Writer, env.Dir, inc, checks, time.Now()); failing > 0 {
		return exit(ExitFailed, fmt.Errorf("incident %s is still open: %d of %d recovered checks do not pass", inc.ID, failing, len(checks)))
	}
	return nil
}

func runFaultReset(c *ucli.Context) error {
	env, inst, err := faultSession(c, nil)
	if err != nil {
		return fail(c, env, err)
	}
	defer inst.Close()
	inc, err := fault.Reset(c.Context, inst.Instance, env, fault.Options{Up: instance.UpOptions{
		WaitTimeout: c.Duration("wait-timeout"), Allow: splitList(c.StringSlice("allow")),
	}})
	if err != nil {
		return fail(c, env, err)
	}
	fault.WriteReset(c.App.Writer, inc)
	return nil
}

func runFaultReport(c *ucli.Context) error {
	if c.NArg() != 1 {
		return exit(ExitInvalid, errors.New("fault report needs one incident number, like INC-20261202-204637 (see .proeftuin/incidents)"))
	}
	env, err := loadEnv(c, nil)
	if err != nil {
		return err
	}
	lang := "" // the incident's, unless asked
	if c.IsSet("lang") {
		lang = c.String("lang")
	}
	err = fault.RenderStored(c.App.Writer, env, c.Args().First(), c.String("format"), lang, c.String("lang"), c.Bool("show-solution"), time.Now())
	return fail(c, env, err)
}
