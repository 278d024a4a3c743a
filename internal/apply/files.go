package apply

import (
	"archive/tar"
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
)

// filesTar packs a service's files into one tar stream for CopyTo "/".
//
// Owners must be numeric ("uid:gid" or "uid"): the engine extracts with the
// numeric IDs of the tar headers and cannot look up names in the image
// before the container runs. A name falls back to 0:0 and is reported in
// notes.
//
// Parent directories get no entries of their own: the engine creates the
// missing ones (root, 0755), and an explicit entry would reset the owner
// and mode of an existing one (think /tmp, 1777).
func filesTar(files []*config.File) (*bytes.Buffer, []string, error) {
	sorted := append([]*config.File(nil), files...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	var buf bytes.Buffer
	var notes []string
	tw := tar.NewWriter(&buf)
	// A fixed time keeps the stream deterministic.
	mtime := time.Unix(0, 0)
	for _, f := range sorted {
		if !strings.HasPrefix(f.Path, "/") {
			return nil, nil, fmt.Errorf("file %s: path must be absolute", f.Path)
		}
		uid, gid, ok := parseOwner(f.Owner)
		if !ok {
			notes = append(notes, fmt.Sprintf("file %s: owner %q is not numeric; placed as 0:0 (write it as uid:gid)", f.Path, f.Owner))
		}
		mode := int64(f.Mode)
		if mode == 0 {
			mode = 0o644
		}
		h := &tar.Header{
			Typeflag: tar.TypeReg,
			Name:     strings.TrimPrefix(f.Path, "/"),
			Mode:     mode,
			Size:     int64(len(f.Content)),
			Uid:      uid,
			Gid:      gid,
			ModTime:  mtime,
			Format:   tar.FormatPAX,
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, nil, fmt.Errorf("file %s: %w", f.Path, err)
		}
		if _, err := tw.Write(f.Content); err != nil {
			return nil, nil, fmt.Errorf("file %s: %w", f.Path, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, nil, err
	}
	return &buf, notes, nil
}

// parseOwner reads "uid:gid", "uid" (group 0) or "" (0:0). ok is false
// for names, which fall back to 0:0.
func parseOwner(owner string) (uid, gid int, ok bool) {
	if owner == "" {
		return 0, 0, true
	}
	u, g, hasGroup := strings.Cut(owner, ":")
	uid, err := strconv.Atoi(u)
	if err != nil || uid < 0 {
		return 0, 0, false
	}
	if !hasGroup {
		return uid, 0, true
	}
	gid, err = strconv.Atoi(g)
	if err != nil || gid < 0 {
		return 0, 0, false
	}
	return uid, gid, true
}
