package cli

import (
	"errors"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/composeimport"
)

func importCommand() *ucli.Command {
	return &ucli.Command{
		Name:        "import",
		Usage:       "write a lab from a file of another tool",
		Description: help("import"),
		Subcommands: []*ucli.Command{{
			Name:        "compose",
			Usage:       "write environment.hcl from a compose file and name every key it could not carry",
			ArgsUsage:   "FILE",
			Description: help("import-compose"),
			Flags: []ucli.Flag{
				&ucli.StringFlag{Name: "out", Usage: "write the lab into `DIR` (default: the compose file's folder)", TakesFile: true},
				&ucli.BoolFlag{Name: "force", Usage: "overwrite an environment.hcl that is there already"},
			},
			Action: runImportCompose,
		}},
	}
}

func runImportCompose(c *ucli.Context) error {
	if c.NArg() != 1 {
		return exit(ExitInvalid, errors.New("give one compose file: proeftuin import compose compose.yaml"))
	}
	res, err := composeimport.Import(c.Context, composeimport.Options{
		File: c.Args().First(), Out: c.String("out"), Force: c.Bool("force"),
	})
	var ie *composeimport.InputError
	switch {
	case errors.As(err, &ie):
		return exit(ExitInvalid, err)
	case err != nil:
		return exit(ExitFailed, err)
	}
	return res.Write(c.App.Writer, c.Args().First(), outputJSON(c))
}
