package runner

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
)

// maxCopySize bounds what one copy action sends (the tar is built in
// memory).
const maxCopySize = 256 << 20

// copy puts a file or a folder of the environment folder into a service's
// container. A file lands at target exactly; a folder's contents land
// under target. Missing parent folders are created by the engine (root,
// 0755); existing ones keep their owner and mode. mode (when set) applies
// to the files copied, owner to everything copied.
func (r *run) copy(ctx context.Context, cp *config.CopyAction) error {
	if cp == nil || cp.Source == "" || cp.Target == "" {
		return errors.New("copy action needs a source and a target")
	}
	if !strings.HasPrefix(cp.Target, "/") {
		return fmt.Errorf("copy target %q is not an absolute path", cp.Target)
	}
	c, err := r.container(ctx, cp.Service, false)
	if err != nil {
		return err
	}
	uid, gid, err := r.owner(ctx, c.ID, cp.Service, cp.Owner)
	if err != nil {
		return err
	}
	buf, err := copyTar(cp.Source, cp.Target, cp.Mode, uid, gid)
	if err != nil {
		return err
	}
	if err := r.eng.CopyTo(ctx, c.ID, "/", buf); err != nil {
		return fmt.Errorf("copy into service %s: %w", cp.Service, err)
	}
	return nil
}

// copyTar packs source for extraction at "/" so that it lands at target.
func copyTar(source, target string, mode uint32, uid, gid int) (*bytes.Buffer, error) {
	fi, err := os.Stat(source)
	if err != nil {
		return nil, fmt.Errorf("copy source: %w", err)
	}
	target = path.Clean(target)
	var buf bytes.Buffer
	tp := &tarPacker{tw: tar.NewWriter(&buf), mode: mode, uid: uid, gid: gid}
	add := tp.add
	tw := tp.tw

	if !fi.IsDir() {
		if target == "/" {
			return nil, errors.New("copy target of a file cannot be /")
		}
		if err := add(target, fi, source); err != nil {
			return nil, fmt.Errorf("copy %s: %w", source, err)
		}
	} else {
		err := filepath.WalkDir(source, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if p == source {
				return nil // the target folder itself: created or kept as it is
			}
			rel, err := filepath.Rel(source, p)
			if err != nil {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			return add(path.Join(target, filepath.ToSlash(rel)), info, p)
		})
		if err != nil {
			return nil, fmt.Errorf("copy %s: %w", source, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return &buf, nil
}

// tarPacker writes files into a tar stream with one owner and mode.
type tarPacker struct {
	tw       *tar.Writer
	mode     uint32 // for regular files; 0 keeps the file's own
	uid, gid int
	total    int64 // bytes of regular files so far
}

// add writes file (described by fi) as name.
func (t *tarPacker) add(name string, fi fs.FileInfo, file string) error {
	if !fi.Mode().IsRegular() && !fi.IsDir() && fi.Mode()&fs.ModeSymlink == 0 {
		return nil // sockets, devices, pipes: not copied (tar cannot even describe a socket)
	}
	h, err := tar.FileInfoHeader(fi, "")
	if err != nil {
		return err
	}
	h.Name = strings.TrimPrefix(name, "/")
	h.Uid, h.Gid, h.Uname, h.Gname = t.uid, t.gid, "", ""
	h.Format = tar.FormatPAX
	switch {
	case fi.Mode().IsRegular():
		if t.mode != 0 {
			h.Mode = int64(t.mode)
		}
		t.total += fi.Size()
		if t.total > maxCopySize {
			return fmt.Errorf("copy source is larger than %d MiB", maxCopySize>>20)
		}
	case fi.IsDir():
		h.Name += "/"
	case fi.Mode()&fs.ModeSymlink != 0:
		link, err := os.Readlink(file)
		if err != nil {
			return err
		}
		h.Linkname = link
	default:
		return nil // sockets, devices, pipes: not copied
	}
	if err := t.tw.WriteHeader(h); err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return nil
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(t.tw, f)
	return err
}

// owner resolves "uid[:gid]" or "user[:group]" for the container: names
// are looked up in the container's /etc/passwd and /etc/group (read
// through the engine, so the image needs no shell). "" is 0:0; a user
// without a group gets the user's primary group.
func (r *run) owner(ctx context.Context, id, service, owner string) (int, int, error) {
	if owner == "" {
		return 0, 0, nil
	}
	user, group, hasGroup := strings.Cut(owner, ":")
	uid, uerr := strconv.Atoi(user)
	var gid int
	primary := 0
	if uerr != nil {
		entries, err := r.readIDFile(ctx, id, "/etc/passwd")
		if err != nil {
			return 0, 0, fmt.Errorf("owner %q: cannot read /etc/passwd of service %s to look up the user: %w", owner, service, err)
		}
		e, ok := entries[user]
		if !ok {
			return 0, 0, &failure{msg: fmt.Sprintf("owner %q: service %s has no user %q", owner, service, user)}
		}
		uid, primary = e[0], e[1]
	} else if uid < 0 {
		return 0, 0, &failure{msg: fmt.Sprintf("owner %q: invalid user id", owner)}
	}
	if !hasGroup {
		return uid, primary, nil
	}
	gid, gerr := strconv.Atoi(group)
	if gerr != nil {
		entries, err := r.readIDFile(ctx, id, "/etc/group")
		if err != nil {
			return 0, 0, fmt.Errorf("owner %q: cannot read /etc/group of service %s to look up the group: %w", owner, service, err)
		}
		e, ok := entries[group]
		if !ok {
			return 0, 0, &failure{msg: fmt.Sprintf("owner %q: service %s has no group %q", owner, service, group)}
		}
		gid = e[0]
	} else if gid < 0 {
		return 0, 0, &failure{msg: fmt.Sprintf("owner %q: invalid group id", owner)}
	}
	return uid, gid, nil
}

// readIDFile reads /etc/passwd or /etc/group from the container and maps
// each name to its id and (passwd) primary group id.
func (r *run) readIDFile(ctx context.Context, id, file string) (map[string][2]int, error) {
	rc, err := r.eng.CopyFrom(ctx, id, file)
	if err != nil {
		if errors.Is(err, engine.ErrNotFound) {
			return map[string][2]int{}, nil
		}
		return nil, err
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	if _, err := tr.Next(); err != nil {
		return nil, err
	}
	out := map[string][2]int{}
	sc := bufio.NewScanner(io.LimitReader(tr, 4<<20))
	for sc.Scan() {
		f := strings.Split(sc.Text(), ":")
		if len(f) < 3 {
			continue
		}
		n, err := strconv.Atoi(f[2])
		if err != nil {
			continue
		}
		e := [2]int{n, 0}
		if len(f) > 3 {
			if g, err := strconv.Atoi(f[3]); err == nil && file == "/etc/passwd" {
				e[1] = g
			}
		}
		out[f[0]] = e
	}
	return out, sc.Err()
}
