package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/bundle"
	"github.com/proeftuin/proeftuin/internal/cmdline"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/outfile"
)

func bundleCommand() *ucli.Command {
	return &ucli.Command{
		Name:        "bundle",
		Usage:       "export or import an offline lab: its files, its images and checksums in one file",
		Description: help("bundle"),
		Subcommands: []*ucli.Command{bundleExportCommand(), bundleImportCommand()},
	}
}

func bundleExportCommand() *ucli.Command {
	return &ucli.Command{
		Name:        "export",
		Usage:       "write the lab, its images and a manifest with checksums to one .tar.gz",
		ArgsUsage:   " ",
		Description: help("bundle-export"),
		Flags: append(engineFlags(),
			&ucli.StringFlag{Name: "out", Usage: "write the bundle to `FILE` (default: <environment>.tar.gz in the current folder)", TakesFile: true},
			&ucli.BoolFlag{Name: "without-images", Usage: "leave the images out: importers need a registry or must have the images already"},
		),
		Action: runBundleExport,
	}
}

func bundleImportCommand() *ucli.Command {
	return &ucli.Command{
		Name:        "import",
		Usage:       "check a bundle, load its images and write its lab folder",
		ArgsUsage:   "BUNDLE [DIR]",
		Description: help("bundle-import"),
		Flags: append(engineFlags(),
			&ucli.BoolFlag{Name: "force", Usage: "write the lab into a folder that is not empty"},
			&ucli.StringFlag{Name: "max-image-size", Value: "2GiB", Usage: "refuse an images archive larger than `SIZE`"},
			&ucli.StringFlag{Name: "max-images-total", Value: "8GiB", Usage: "refuse images larger than `SIZE` together"},
			&ucli.StringFlag{Name: "max-file-size", Value: "64MiB", Usage: "refuse a lab file larger than `SIZE`"},
			&ucli.StringFlag{Name: "max-lab-size", Value: "256MiB", Usage: "refuse lab files larger than `SIZE` together"},
		),
		Action: runBundleImport,
	}
}

func runBundleExport(c *ucli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	env, err := loadEnv(c, nil)
	if err != nil {
		return err
	}
	out := c.String("out")
	if out == "" {
		out = env.Name + ".tar.gz"
	}
	if len(cmdline.Strings(c, "var")) > 0 || len(cmdline.Strings(c, "var-file")) > 0 {
		fmt.Fprintln(c.App.ErrWriter, "note: --var and --var-file choose the images in the bundle but are not stored in it; give them to 'up' as well, or put the values in the variables' defaults")
	}
	stop, interrupted := interruptible(c, nil)
	defer stop()

	var eng engine.Engine
	if !c.Bool("without-images") {
		if eng, err = dialEngine(c); err != nil {
			return err
		}
		defer eng.Close()
	}
	res, err := bundle.Export(c.Context, eng, env, bundle.ExportOptions{
		Out:           out,
		WithoutImages: c.Bool("without-images"),
		Progress:      bundleProgress(c),
	})
	if err != nil {
		return bundleExit(redactErr(env, err), interrupted())
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(c.App.ErrWriter, "warning: %s\n", w)
	}
	if outputJSON(c) {
		return printJSON(c.App.Writer, map[string]any{"bundle": res.Out, "size": res.Size, "manifest": res.Manifest})
	}
	res.WriteText(c.App.Writer, env.Name, outfile.Display)
	return nil
}

func runBundleImport(c *ucli.Context) error {
	if c.NArg() < 1 || c.NArg() > 2 {
		return exit(ExitInvalid, fmt.Errorf("bundle import takes BUNDLE [DIR], got %d arguments; run 'proeftuin bundle import --help'", c.NArg()))
	}
	archive, target := c.Args().Get(0), c.Args().Get(1)
	lim, err := bundle.ParseLimits(c.String)
	if err != nil {
		return exit(ExitInvalid, err)
	}
	stop, interrupted := interruptible(c, nil)
	defer stop()

	// The engine is only needed for bundles with images; connect now so
	// its absence is reported plainly when it is needed.
	eng, connErr := dialEngine(c)
	if connErr == nil {
		defer eng.Close()
	}
	res, err := bundle.Import(c.Context, eng, archive, bundle.ImportOptions{
		Target:   target,
		Force:    c.Bool("force"),
		Limits:   lim,
		Progress: bundleProgress(c),
	})
	if errors.Is(err, bundle.ErrNoEngine) && connErr != nil {
		return connErr
	}
	if err != nil {
		return bundleExit(err, interrupted())
	}
	// A lab from someone else: say now what `up` will refuse.
	in := res.Inspect(options(c, nil))
	in.WriteHashWarning(c.App.ErrWriter, res.Manifest)
	if outputJSON(c) {
		return printJSON(c.App.Writer, map[string]any{"dir": res.Dir, "files": res.Files, "loaded": res.Loaded, "missing": res.Missing, "manifest": res.Manifest, "unsafe": in.Unsafe})
	}
	res.WriteText(c.App.Writer, c.App.ErrWriter, in, outfile.Display)
	return nil
}

// bundleProgress writes progress lines on stderr, unless --output json.
func bundleProgress(c *ucli.Context) func(string) {
	if outputJSON(c) {
		return nil
	}
	return func(line string) { fmt.Fprintln(c.App.ErrWriter, line) }
}

// bundleExit maps a bundle error to an exit code: 2 for a refused bundle
// or a target that is in the way, 3 for the engine and the file system,
// 130 when interrupted.
func bundleExit(err error, interrupted bool) error {
	switch {
	case interrupted || errors.Is(err, context.Canceled):
		return exit(ExitInterrupted, errors.New("interrupted; nothing was left behind"))
	case errors.Is(err, bundle.ErrRefused), errors.Is(err, bundle.ErrNotEmpty), errors.Is(err, fs.ErrNotExist):
		// A bundle file that is not there is input, not the engine.
		return exit(ExitInvalid, err)
	default:
		return exit(ExitEngine, err)
	}
}
