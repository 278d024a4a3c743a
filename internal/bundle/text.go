package bundle

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/planner"
	"github.com/proeftuin/proeftuin/internal/policy"
)

// WriteText says what Export wrote and what students run with it; display
// shows a path as the user should see it.
func (r *ExportResult) WriteText(w io.Writer, env string, display func(string) string) {
	files := 0
	for _, e := range r.Manifest.Entries {
		if e.Kind == KindLab && e.Type == TypeFile {
			files++
		}
	}
	images := "no images"
	if r.Manifest.ImagesIncluded {
		refs := make([]string, 0, len(r.Manifest.Images))
		for _, img := range r.Manifest.Images {
			refs = append(refs, img.Ref)
		}
		images = plural(len(refs), "image", "images") + " (" + strings.Join(refs, ", ") + ")"
	}
	fmt.Fprintf(w, "wrote %s (%s): lab %s with %s and %s\n", display(r.Out), FormatSize(r.Size), env, plural(files, "file", "files"), images)
	fmt.Fprintf(w, "students run: proeftuin bundle import %s\n", filepath.Base(r.Out))
}

// Inspection is what the definition of an imported lab says about it.
type Inspection struct {
	// Loaded: the lab loads without errors; the rest is only known then.
	Loaded bool
	// Hash is the imported lab's hash, to compare with Manifest.LabHash.
	Hash string
	// Unsafe are the settings 'up' refuses unless the user trusts the lab.
	Unsafe []string
}

// Inspect loads the lab Import wrote with opts (its folder, no variables;
// the same bounds as every command, so a hostile definition cannot hold
// the import) and says whether it is the lab that was exported and what
// 'up' will refuse.
func (r *ImportResult) Inspect(opts config.Options) Inspection {
	var in Inspection
	opts.Dir, opts.Vars, opts.VarFiles, opts.Environ = r.Dir, nil, nil, nil
	env, diags := config.Load(opts)
	if diags.HasErrors() {
		return in
	}
	in.Loaded, in.Hash = true, env.Hash
	for _, d := range policy.Check(env, nil) {
		in.Unsafe = append(in.Unsafe, d.Detail)
	}
	return in
}

// WriteHashWarning warns on w when the imported lab is not the one that
// was exported.
func (in Inspection) WriteHashWarning(w io.Writer, m *Manifest) {
	if in.Loaded && in.Hash != m.LabHash {
		fmt.Fprintf(w, "warning: the imported lab's hash %s differs from the exported %s (were --var values used at export?)\n", planner.ShortID(in.Hash), planner.ShortID(m.LabHash))
	}
}

// WriteText says what Import did on w, and on errw what the user should
// know before 'up': the settings it refuses and the images it lacks.
func (r *ImportResult) WriteText(w, errw io.Writer, in Inspection, display func(string) string) {
	m := r.Manifest
	if len(in.Unsafe) > 0 {
		fmt.Fprintf(errw, "warning: this lab asks for settings that 'up' refuses unless you trust it:\n")
		for _, u := range in.Unsafe {
			fmt.Fprintf(errw, "  - %s\n", u)
		}
	}
	title := m.Environment
	if m.Title != "" {
		title += " (" + m.Title + ")"
	}
	fmt.Fprintf(w, "imported lab %s into %s: %s", title, display(r.Dir), plural(r.Files, "file", "files"))
	if len(r.Loaded) > 0 {
		fmt.Fprintf(w, ", %s loaded (%s)", plural(len(r.Loaded), "image", "images"), strings.Join(r.Loaded, ", "))
	}
	fmt.Fprintln(w)
	if in.Loaded && in.Hash == m.LabHash {
		fmt.Fprintf(w, "checked: every entry's SHA-256; lab hash matches the export (made by proeftuin %s)\n", m.ToolVersion)
	}
	if len(r.Missing) > 0 {
		fmt.Fprintf(errw, "warning: the bundle has no images and the engine lacks %s; 'up' will try to pull them\n", strings.Join(r.Missing, ", "))
	}
	fmt.Fprintf(w, "next: proeftuin --dir %s up\n", display(r.Dir))
}

// plural writes "1 file", "2 files".
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
