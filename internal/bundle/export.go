package bundle

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/proeftuin/proeftuin/internal/apply"
	"github.com/proeftuin/proeftuin/internal/atomicfile"
	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/planner"
	"github.com/proeftuin/proeftuin/internal/version"
)

// ExportOptions configure Export.
type ExportOptions struct {
	// Out is the bundle file to write; it is written to a temporary file
	// next to it and renamed when complete.
	Out string
	// WithoutImages leaves the images out: importers need a registry or
	// the images already.
	WithoutImages bool
	// Progress receives one line per thing done (may be nil).
	Progress func(string)
	// Now is the clock for the manifest (nil: time.Now).
	Now func() time.Time
}

// ExportResult describes a written bundle.
type ExportResult struct {
	Manifest *Manifest
	Out      string
	Size     int64 // bytes of the bundle file
	// Warnings are things an importer should know (pull = "always",
	// a FROM with an unresolved variable, images over the default cap).
	Warnings []string
}

// labFile is a file or folder of the environment folder to export.
type labFile struct {
	abs   string
	entry Entry
}

// Export writes env's lab folder and (unless opts.WithoutImages) every
// image it uses into a bundle at opts.Out. Images a service names are
// pulled when the engine lacks them; built images are built (as up builds
// them) and their base images are pulled when missing and included, so an
// offline `up` can build them again. eng may be nil with WithoutImages.
func Export(ctx context.Context, eng engine.Engine, env *config.Environment, opts ExportOptions) (*ExportResult, error) {
	if opts.Out == "" {
		return nil, errors.New("export: no output file")
	}
	if !ValidEnvironmentName(env.Name) {
		return nil, fmt.Errorf("export: environment name %q cannot name a folder", env.Name)
	}
	out, err := filepath.Abs(opts.Out)
	if err != nil {
		return nil, err
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	progress := opts.Progress
	if progress == nil {
		progress = func(string) {}
	}
	res := &ExportResult{Out: out}
	lim := DefaultLimits()

	files, err := labFiles(env.Dir, out, lim)
	if err != nil {
		return nil, err
	}
	m := &Manifest{
		Format:         Format,
		ToolVersion:    version.Version,
		Created:        now().UTC().Format(time.RFC3339),
		Environment:    env.Name,
		Title:          env.Title,
		LabHash:        env.Hash,
		ImagesIncluded: !opts.WithoutImages,
		Images:         []Image{},
	}
	for _, f := range files {
		m.Entries = append(m.Entries, f.entry)
	}

	images, warnings, err := collectImages(env)
	if err != nil {
		return nil, err
	}
	res.Warnings = append(res.Warnings, warnings...)

	var imagesTar string
	if !opts.WithoutImages {
		if eng == nil {
			return nil, errors.New("export: images need an engine")
		}
		if err := provideImages(ctx, eng, env, images, progress); err != nil {
			return nil, err
		}
		refs := make([]string, 0, len(images))
		for i := range images {
			id, err := eng.ImageID(ctx, images[i].Ref)
			if err != nil {
				return nil, fmt.Errorf("image %s: %w", images[i].Ref, err)
			}
			images[i].ID = id
			refs = append(refs, images[i].Ref)
		}
		if len(refs) > 0 {
			progress(fmt.Sprintf("saving %d image(s): %s", len(refs), strings.Join(refs, ", ")))
			f, err := os.CreateTemp(filepath.Dir(out), ".proeftuin-images-*.tar")
			if err != nil {
				return nil, err
			}
			imagesTar = f.Name()
			defer os.Remove(imagesTar)
			e, err := saveImages(ctx, eng, refs, f)
			if err != nil {
				return nil, err
			}
			if e.Size > lim.ImageEntry {
				res.Warnings = append(res.Warnings, fmt.Sprintf("the images take %s, over the %s an import accepts by default: import with --max-image-size %s", FormatSize(e.Size), FormatSize(lim.ImageEntry), roundUpGiB(e.Size)))
			}
			m.Entries = append(m.Entries, e)
		} else {
			m.ImagesIncluded = false
		}
	} else {
		for i := range images {
			if eng == nil {
				break
			}
			if id, err := eng.ImageID(ctx, images[i].Ref); err == nil {
				images[i].ID = id
			}
		}
	}
	m.Images = images

	size, err := writeBundle(out, m, files, imagesTar)
	if err != nil {
		return nil, err
	}
	res.Manifest = m
	res.Size = size
	return res, nil
}

func roundUpGiB(n int64) string {
	return fmt.Sprintf("%dGiB", (n+GiB-1)/GiB)
}

// skipped folders of the environment folder: proeftuin's state and
// reports, and version control.
var skipDirs = []string{".proeftuin", ".git"}

// labFiles lists the environment folder's files and folders, sorted, with
// their checksums. Links to files inside the folder are stored as the
// file; links that leave it, links to folders and special files are
// errors.
func labFiles(dir, out string, lim Limits) ([]labFile, error) {
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, fmt.Errorf("environment folder: %w", err)
	}
	var files []labFile
	var total int64
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == root {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		slash := filepath.ToSlash(rel)
		if d.IsDir() && slices.Contains(skipDirs, d.Name()) {
			return filepath.SkipDir
		}
		if same(p, out) || strings.HasPrefix(d.Name(), ".proeftuin-images-") || strings.HasPrefix(d.Name(), ".proeftuin-bundle-") {
			return nil
		}
		name := LabPrefix + slash
		if err := checkName(name); err != nil {
			return fmt.Errorf("%s: cannot go in a bundle: %v", slash, err)
		}
		if d.IsDir() {
			files = append(files, labFile{abs: p, entry: Entry{Path: name, Kind: KindLab, Type: TypeDir, Mode: "0755"}})
			return nil
		}
		src := p
		if d.Type()&fs.ModeSymlink != 0 {
			resolved, err := filepath.EvalSymlinks(p)
			if err != nil {
				return fmt.Errorf("%s: broken link: %w", slash, err)
			}
			if r, err := filepath.Rel(root, resolved); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
				return fmt.Errorf("%s is a link to %s, outside the environment folder; copy the file into the folder instead", slash, resolved)
			}
			src = resolved
		}
		info, err := os.Stat(src)
		if err != nil {
			return err
		}
		if info.IsDir() {
			return fmt.Errorf("%s is a link to a folder; bundles hold no links: replace it with a copy of the folder", slash)
		}
		if !info.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file (%s); remove it from the environment folder", slash, info.Mode().Type())
		}
		if info.Size() > lim.LabFile {
			return fmt.Errorf("%s is %s; a bundle accepts lab files up to %s: put large content in an image instead", slash, FormatSize(info.Size()), FormatSize(lim.LabFile))
		}
		total += info.Size()
		if total > lim.LabTotal {
			return fmt.Errorf("the environment folder holds more than %s of files; a bundle accepts up to %s", FormatSize(lim.LabTotal), FormatSize(lim.LabTotal))
		}
		sum, n, err := hashFile(src)
		if err != nil {
			return err
		}
		mode := "0644"
		if info.Mode().Perm()&0o111 != 0 {
			mode = "0755"
		}
		files = append(files, labFile{abs: src, entry: Entry{Path: name, Kind: KindLab, Type: TypeFile, Size: n, SHA256: sum, Mode: mode}})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	if len(files) > lim.Entries-2 {
		return nil, fmt.Errorf("export: the environment folder holds %d files and folders; a bundle accepts up to %d", len(files), lim.Entries-2)
	}
	return files, nil
}

func same(a, b string) bool {
	if a == b {
		return true
	}
	ai, err1 := os.Stat(a)
	bi, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(ai, bi)
}

func hashFile(p string) (string, int64, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// collectImages lists the images env uses: each service's image, the
// image built for each service with a build block, and those builds' base
// images.
func collectImages(env *config.Environment) ([]Image, []string, error) {
	byRef := map[string]*Image{}
	var order []string
	var warnings []string
	add := func(ref, kind, service string) {
		img := byRef[ref]
		if img == nil {
			img = &Image{Ref: ref, Kind: kind}
			byRef[ref] = img
			order = append(order, ref)
		}
		if service != "" && !slices.Contains(img.Services, service) {
			img.Services = append(img.Services, service)
		}
	}
	services := slices.Clone(env.Services)
	sort.Slice(services, func(i, j int) bool { return services[i].Name < services[j].Name })
	for _, s := range services {
		if s.Pull == "always" {
			warnings = append(warnings, fmt.Sprintf("service %s has pull = \"always\": without a registry, run up with --pull missing", s.Name))
		}
		if s.Build == nil {
			add(s.Image, "pulled", s.Name)
			continue
		}
		dockerfile := s.Build.Dockerfile
		if dockerfile == "" {
			dockerfile = "Dockerfile"
		}
		f, err := os.Open(filepath.Join(s.Build.Context, dockerfile))
		if err != nil {
			return nil, nil, fmt.Errorf("service %s: %w", s.Name, err)
		}
		bases, unresolved, err := BaseImages(f, s.Build.Args)
		f.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("service %s: read %s: %w", s.Name, dockerfile, err)
		}
		for _, u := range unresolved {
			warnings = append(warnings, fmt.Sprintf("service %s: base image %q has a variable proeftuin cannot resolve; it is not in the bundle", s.Name, u))
		}
		for _, b := range bases {
			add(b, "base", s.Name)
		}
		add(planner.BuildTag(env, s), "built", s.Name)
	}
	out := make([]Image, 0, len(order))
	for _, ref := range order {
		out = append(out, *byRef[ref])
	}
	return out, warnings, nil
}

// provideImages makes every image present: pulls what is missing (base
// images first), then builds the built ones as apply does.
func provideImages(ctx context.Context, eng engine.Engine, env *config.Environment, images []Image, progress func(string)) error {
	for _, img := range images {
		if img.Kind == "built" {
			continue
		}
		if _, err := eng.ImageID(ctx, img.Ref); err == nil {
			continue
		} else if !errors.Is(err, engine.ErrNotFound) {
			return fmt.Errorf("look up image %s: %w", img.Ref, err)
		}
		progress("pulling " + img.Ref)
		if err := eng.PullImage(ctx, img.Ref, nil); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("image %s (service %s) is not in the engine and cannot be pulled: %w", img.Ref, strings.Join(img.Services, ", "), err)
		}
	}
	for _, s := range env.Services {
		if s.Build == nil {
			continue
		}
		tag := planner.BuildTag(env, s)
		if _, _, err := apply.EnsureBuilt(ctx, eng, env, s, func() { progress("building " + tag) }); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
	}
	return nil
}

// saveImages streams the engine's archive of refs into f, returning its
// manifest entry. f is closed.
func saveImages(ctx context.Context, eng engine.Engine, refs []string, f *os.File) (Entry, error) {
	defer f.Close()
	rc, err := eng.SaveImages(ctx, refs)
	if err != nil {
		return Entry{}, err
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), rc)
	if err != nil {
		if ctx.Err() != nil {
			return Entry{}, ctx.Err()
		}
		return Entry{}, fmt.Errorf("save images: %w", err)
	}
	if err := f.Close(); err != nil {
		return Entry{}, err
	}
	return Entry{Path: ImagesEntry, Kind: KindImages, Type: TypeFile, Size: n, SHA256: hex.EncodeToString(h.Sum(nil)), Mode: "0644"}, nil
}

// writeBundle writes manifest, lab files and images archive to out, whole
// or not at all, and returns the bundle's size.
func writeBundle(out string, m *Manifest, files []labFile, imagesTar string) (size int64, err error) {
	err = atomicfile.WriteFunc(out, 0o644, func(w io.Writer) error {
		cw := &countingWriter{w: w}
		if err := writeArchive(cw, m, files, imagesTar); err != nil {
			return err
		}
		size = cw.n
		return nil
	})
	return size, err
}

// writeArchive writes the bundle's tar.gz to w.
func writeArchive(w io.Writer, m *Manifest, files []labFile, imagesTar string) error {
	zw := gzip.NewWriter(w)
	tw := tar.NewWriter(zw)
	mtime, _ := time.Parse(time.RFC3339, m.Created)

	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	if err := tw.WriteHeader(&tar.Header{Name: ManifestName, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(data)), ModTime: mtime, Format: tar.FormatPAX}); err != nil {
		return err
	}
	if _, err := tw.Write(data); err != nil {
		return err
	}
	for _, f := range files {
		if err := writeFileEntry(tw, f.entry, f.abs, mtime); err != nil {
			return err
		}
	}
	if imagesTar != "" {
		for _, e := range m.Entries {
			if e.Path == ImagesEntry {
				if err := writeFileEntry(tw, e, imagesTar, mtime); err != nil {
					return err
				}
			}
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func writeFileEntry(tw *tar.Writer, e Entry, src string, mtime time.Time) error {
	mode := int64(0o644)
	if e.Mode == "0755" {
		mode = 0o755
	}
	if e.Type == TypeDir {
		return tw.WriteHeader(&tar.Header{Name: e.Path + "/", Typeflag: tar.TypeDir, Mode: 0o755, ModTime: mtime, Format: tar.FormatPAX})
	}
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := tw.WriteHeader(&tar.Header{Name: e.Path, Typeflag: tar.TypeReg, Mode: mode, Size: e.Size, ModTime: mtime, Format: tar.FormatPAX}); err != nil {
		return err
	}
	// Exactly e.Size bytes: a file that changed since it was hashed makes
	// the copy fail rather than the bundle lie.
	h := sha256.New()
	if _, err := io.CopyN(io.MultiWriter(tw, h), f, e.Size); err != nil {
		return fmt.Errorf("%s changed during the export: %w", e.Path, err)
	}
	if hex.EncodeToString(h.Sum(nil)) != e.SHA256 {
		return fmt.Errorf("%s changed during the export; run it again", e.Path)
	}
	return nil
}
