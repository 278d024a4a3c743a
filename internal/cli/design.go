package cli

import (
	"bytes"
	"fmt"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/design"
	"github.com/proeftuin/proeftuin/internal/version"
)

func designCommand() *ucli.Command {
	return &ucli.Command{
		Name:        "design",
		Usage:       "write the functional and technical design as Markdown or HTML",
		ArgsUsage:   "[--format md|html] [--lang nl|en] [--out FILE]",
		Description: help("design"),
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "md", Usage: "md or html",
				Action: oneOf("format", design.Formats...)},
			&ucli.StringFlag{Name: "lang", Aliases: []string{"l"}, Value: "nl", Usage: "language: nl or en",
				Action: oneOf("lang", design.Langs...)},
			&ucli.StringFlag{Name: "out", Aliases: []string{"O"}, Usage: "write to `FILE` instead of standard output", TakesFile: true},
			&ucli.StringFlag{Name: "author", Usage: "your `NAME` on the cover", EnvVars: []string{"PROEFTUIN_AUTHOR"}},
			&ucli.StringFlag{Name: "student-id", Usage: "your student `NUMBER` on the cover", EnvVars: []string{"PROEFTUIN_STUDENT_ID"}},
			&ucli.StringFlag{Name: "class", Usage: "your `CLASS` on the cover", EnvVars: []string{"PROEFTUIN_CLASS"}},
		},
		Action: runDesign,
	}
}

func runDesign(c *ucli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	format, err := outFormat(c, c.String("format"), designExts)
	if err != nil {
		return err
	}
	env, err := loadEnv(c, nil)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := design.Write(&buf, env, format, design.Options{
		Lang: c.String("lang"), Version: version.Version,
		Author: c.String("author"), StudentID: c.String("student-id"), Class: c.String("class"),
		Date: design.Date(c.String("lang"), time.Now()),
	}); err != nil {
		return exit(ExitFailed, err)
	}
	wrote, err := writeOut(c, buf.Bytes())
	switch {
	case err != nil || !wrote:
		return err
	case outputJSON(c):
		return printJSON(c.App.Writer, map[string]string{"file": c.String("out"), "format": format, "lang": c.String("lang")})
	}
	fmt.Fprintf(c.App.Writer, "Wrote %s.\n", c.String("out"))
	return nil
}
