package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/bundle"
	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/planner"
	"github.com/proeftuin/proeftuin/internal/unsafe"
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
	if len(flagStrings(c, "var")) > 0 || len(flagStrings(c, "var-file")) > 0 {
		fmt.Fprintln(c.App.ErrWriter, "note: --var and --var-file choose the images in the bundle but are not stored in it; give them to 'up' as well, or put the values in the variables' defaults")
	}
	stop, interrupted := interruptible(c, nil)
	defer stop()

	var eng engine.Engine
	if !c.Bool("without-images") {
		if eng, err = connect(c); err != nil {
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
	files := 0
	for _, e := range res.Manifest.Entries {
		if e.Kind == bundle.KindLab && e.Type == bundle.TypeFile {
			files++
		}
	}
	images := "no images"
	if res.Manifest.ImagesIncluded {
		refs := make([]string, 0, len(res.Manifest.Images))
		for _, img := range res.Manifest.Images {
			refs = append(refs, img.Ref)
		}
		images = plural(len(refs), "image", "images") + " (" + strings.Join(refs, ", ") + ")"
	}
	fmt.Fprintf(c.App.Writer, "wrote %s (%s): lab %s with %s and %s\n", displayPath(res.Out), bundle.FormatSize(res.Size), env.Name, plural(files, "file", "files"), images)
	fmt.Fprintf(c.App.Writer, "students run: proeftuin bundle import %s\n", filepath.Base(res.Out))
	return nil
}

// bundleLimits are the size flags of bundle import.
func bundleLimits(c *ucli.Context) (bundle.Limits, error) {
	var lim bundle.Limits
	for _, f := range []struct {
		flag string
		dst  *int64
	}{{"max-image-size", &lim.ImageEntry}, {"max-images-total", &lim.ImagesTotal}, {"max-file-size", &lim.LabFile}, {"max-lab-size", &lim.LabTotal}} {
		n, err := bundle.ParseSize(c.String(f.flag))
		if err != nil {
			return lim, exit(ExitInvalid, fmt.Errorf("--%s: %w", f.flag, err))
		}
		*f.dst = n
	}
	return lim, nil
}

func runBundleImport(c *ucli.Context) error {
	if c.NArg() < 1 || c.NArg() > 2 {
		return exit(ExitInvalid, fmt.Errorf("bundle import takes BUNDLE [DIR], got %d arguments; run 'proeftuin bundle import --help'", c.NArg()))
	}
	archive, target := c.Args().Get(0), c.Args().Get(1)
	lim, err := bundleLimits(c)
	if err != nil {
		return err
	}
	stop, interrupted := interruptible(c, nil)
	defer stop()

	// The engine is only needed for bundles with images; connect now so
	// its absence is reported plainly when it is needed.
	eng, connErr := connect(c)
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
	m := res.Manifest
	hashNote := ""
	var unsafeSettings []string
	// The lab is someone else's: load it with the same bounds as every
	// command, so a hostile definition cannot hold the import.
	o := options(c, nil)
	o.Dir, o.Vars, o.VarFiles, o.Environ = res.Dir, nil, nil, nil
	if env, diags := config.Load(o); !diags.HasErrors() {
		if env.Hash == m.LabHash {
			hashNote = "lab hash matches the export"
		} else {
			fmt.Fprintf(c.App.ErrWriter, "warning: the imported lab's hash %s differs from the exported %s (were --var values used at export?)\n", planner.ShortID(env.Hash), planner.ShortID(m.LabHash))
		}
		// A lab from someone else: say now what `up` will refuse.
		for _, d := range unsafe.Check(env, nil) {
			unsafeSettings = append(unsafeSettings, d.Detail)
		}
	}
	if len(unsafeSettings) > 0 && !outputJSON(c) {
		fmt.Fprintf(c.App.ErrWriter, "warning: this lab asks for settings that 'up' refuses unless you trust it:\n")
		for _, u := range unsafeSettings {
			fmt.Fprintf(c.App.ErrWriter, "  - %s\n", u)
		}
	}
	if outputJSON(c) {
		return printJSON(c.App.Writer, map[string]any{"dir": res.Dir, "files": res.Files, "loaded": res.Loaded, "missing": res.Missing, "manifest": m, "unsafe": unsafeSettings})
	}
	title := m.Environment
	if m.Title != "" {
		title += " (" + m.Title + ")"
	}
	fmt.Fprintf(c.App.Writer, "imported lab %s into %s: %s", title, displayPath(res.Dir), plural(res.Files, "file", "files"))
	if len(res.Loaded) > 0 {
		fmt.Fprintf(c.App.Writer, ", %s loaded (%s)", plural(len(res.Loaded), "image", "images"), strings.Join(res.Loaded, ", "))
	}
	fmt.Fprintln(c.App.Writer)
	if hashNote != "" {
		fmt.Fprintf(c.App.Writer, "checked: every entry's SHA-256; %s (made by proeftuin %s)\n", hashNote, m.ToolVersion)
	}
	if len(res.Missing) > 0 {
		fmt.Fprintf(c.App.ErrWriter, "warning: the bundle has no images and the engine lacks %s; 'up' will try to pull them\n", strings.Join(res.Missing, ", "))
	}
	fmt.Fprintf(c.App.Writer, "next: proeftuin --dir %s up\n", displayPath(res.Dir))
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
