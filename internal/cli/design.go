package cli

import (
	"bytes"
	"fmt"
	"os"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/design"
	"github.com/proeftuin/proeftuin/internal/outfile"
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
	out := c.String("out")
	set := ""
	if c.IsSet("format") {
		set = c.String("format")
	}
	format, err := outfile.Format(out, set, c.String("format"), designExts)
	if err != nil {
		return exit(ExitInvalid, err)
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
	if out == "" || out == "-" {
		if _, err := c.App.Writer.Write(buf.Bytes()); err != nil {
			return exit(ExitFailed, err)
		}
		return nil
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return exit(ExitFailed, fmt.Errorf("write design: %w", err))
	}
	if !outputJSON(c) {
		fmt.Fprintf(c.App.Writer, "Wrote %s.\n", out)
	} else {
		return printJSON(c.App.Writer, map[string]string{"file": out, "format": format, "lang": c.String("lang")})
	}
	return nil
}
