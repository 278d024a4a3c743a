// Package bundle makes and reads offline lab bundles: one .tar.gz with a
// lab's files, the images it uses (as `docker save` makes them) and a
// manifest with the SHA-256 and size of every entry.
//
// A bundle is untrusted input: it comes from a USB stick or a school file
// share. Reading one verifies every entry against the manifest while it is
// unpacked into a private staging folder, and nothing reaches the target
// folder or the engine until the whole archive has been checked. Absolute
// names, "..", links of any kind, devices, fifos, entries the manifest
// does not list, listed entries that are missing and entries or totals
// over the size caps are refused, each with the entry's name and why.
//
// Layout of a bundle (a gzip-compressed tar):
//
//	manifest.json          always the first entry
//	lab/...                the files of the environment folder
//	images/images.tar      the images, one `docker save` archive (optional)
package bundle

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Format identifies the bundle layout in the manifest.
const Format = "proeftuin-bundle/1"

// Names inside a bundle.
const (
	ManifestName = "manifest.json"
	LabPrefix    = "lab/"
	ImagesEntry  = "images/images.tar"
)

// Entry kinds.
const (
	KindLab    = "lab"
	KindImages = "images"
)

// Entry types.
const (
	TypeFile = "file"
	TypeDir  = "dir"
)

// Manifest is manifest.json.
type Manifest struct {
	Format      string `json:"format"`
	ToolVersion string `json:"tool_version"`
	Created     string `json:"created,omitempty"` // RFC 3339
	// Environment is the environment's name; import's default folder.
	Environment string `json:"environment"`
	Title       string `json:"title,omitempty"`
	// LabHash is config.Environment.Hash of the lab when it was exported.
	LabHash string  `json:"lab_hash"`
	Images  []Image `json:"images"`
	// ImagesIncluded is false for bundles made with --without-images.
	ImagesIncluded bool    `json:"images_included"`
	Entries        []Entry `json:"entries"`
}

// Image is an image the lab uses.
type Image struct {
	Ref string `json:"ref"`
	ID  string `json:"id,omitempty"`
	// Kind is "pulled" (a service's image), "built" (built for a
	// service) or "base" (a FROM image of a build).
	Kind     string   `json:"kind"`
	Services []string `json:"services,omitempty"`
}

// Entry is one file or folder of the archive besides the manifest.
type Entry struct {
	Path   string `json:"path"`
	Kind   string `json:"kind"` // lab | images
	Type   string `json:"type"` // file | dir
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256,omitempty"` // hex, files only
	Mode   string `json:"mode,omitempty"`   // octal permission bits, e.g. "0755"
}

// Limits caps what a bundle may hold. Zero fields take the defaults.
type Limits struct {
	ImageEntry  int64 // one image archive
	ImagesTotal int64 // all image archives together
	LabFile     int64 // one lab file
	LabTotal    int64 // all lab files together
	Entries     int   // number of entries
	Manifest    int64 // manifest.json
}

// Size units.
const (
	KiB int64 = 1 << 10
	MiB int64 = 1 << 20
	GiB int64 = 1 << 30
)

// DefaultLimits are generous for a classroom lab and small enough that a
// hostile bundle cannot fill a student's disk.
func DefaultLimits() Limits {
	return Limits{
		ImageEntry:  2 * GiB,
		ImagesTotal: 8 * GiB,
		LabFile:     64 * MiB,
		LabTotal:    256 * MiB,
		Entries:     10000,
		Manifest:    4 * MiB,
	}
}

// withDefaults fills zero fields from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	orDefault(&l.ImageEntry, d.ImageEntry)
	orDefault(&l.ImagesTotal, d.ImagesTotal)
	orDefault(&l.LabFile, d.LabFile)
	orDefault(&l.LabTotal, d.LabTotal)
	orDefault(&l.Entries, d.Entries)
	orDefault(&l.Manifest, d.Manifest)
	return l
}

// orDefault sets *v to d when *v is zero or less.
func orDefault[T int | int64](v *T, d T) {
	if *v <= 0 {
		*v = d
	}
}

// ErrRefused is wrapped by every refusal of a bundle's content.
var ErrRefused = errors.New("bundle refused")

// RefusedError says which entry of a bundle (or of another hand-in) was
// refused and why.
type RefusedError struct {
	Entry  string // "" when the refusal is about the bundle as a whole
	Reason string
	// What is refused: "" is a bundle; grade says "hand-in" of a plain
	// folder or archive, which a student never made into a bundle.
	What string
}

func (e *RefusedError) Error() string {
	what := e.What
	if what == "" {
		what = "bundle"
	}
	if e.Entry == "" {
		return what + " refused: " + e.Reason
	}
	return fmt.Sprintf("%s refused: entry %q: %s", what, e.Entry, e.Reason)
}

func (e *RefusedError) Unwrap() error { return ErrRefused }

func refuse(entry, format string, args ...any) error {
	return &RefusedError{Entry: entry, Reason: fmt.Sprintf(format, args...)}
}

// ParseSize reads a size like "64MiB", "2GiB", "500M", "1g" or "1048576"
// (bytes). K, M, G and T are binary multiples, with or without "iB"/"B".
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	lower := strings.ToLower(t)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"tib", 1 << 40}, {"gib", GiB}, {"mib", MiB}, {"kib", KiB}, {"tb", 1 << 40}, {"gb", GiB}, {"mb", MiB}, {"kb", KiB}, {"t", 1 << 40}, {"g", GiB}, {"m", MiB}, {"k", KiB}, {"b", 1}} {
		if strings.HasSuffix(lower, u.suffix) {
			mult = u.mult
			lower = strings.TrimSpace(strings.TrimSuffix(lower, u.suffix))
			break
		}
	}
	n, err := strconv.ParseInt(lower, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("invalid size %q: want a positive number with an optional unit, e.g. 64MiB or 2GiB", s)
	}
	return n * mult, nil
}

// FormatSize writes n bytes for people: "1.5 GiB", "300 KiB", "12 B".
func FormatSize(n int64) string {
	switch {
	case n >= GiB:
		return trimZero(float64(n)/float64(GiB)) + " GiB"
	case n >= MiB:
		return trimZero(float64(n)/float64(MiB)) + " MiB"
	case n >= KiB:
		return trimZero(float64(n)/float64(KiB)) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

func trimZero(f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0")
}

// ParseLimits reads the size flags of bundle import (max-image-size,
// max-images-total, max-file-size, max-lab-size) through flag, which
// returns a flag's value by name; an error names the flag.
func ParseLimits(flag func(name string) string) (Limits, error) {
	var lim Limits
	for _, f := range []struct {
		flag string
		dst  *int64
	}{{"max-image-size", &lim.ImageEntry}, {"max-images-total", &lim.ImagesTotal}, {"max-file-size", &lim.LabFile}, {"max-lab-size", &lim.LabTotal}} {
		n, err := ParseSize(flag(f.flag))
		if err != nil {
			return lim, fmt.Errorf("--%s: %w", f.flag, err)
		}
		*f.dst = n
	}
	return lim, nil
}
