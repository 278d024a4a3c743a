package docker

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/moby/moby/client"
)

// SaveImages implements engine.Engine: the daemon's `docker save`.
func (d *Docker) SaveImages(ctx context.Context, refs []string) (io.ReadCloser, error) {
	if len(refs) == 0 {
		return nil, fmt.Errorf("save images: no image given")
	}
	rc, err := d.cli.ImageSave(ctx, refs)
	if err != nil {
		return nil, d.wrap(err, "save images %s", strings.Join(refs, ", "))
	}
	return rc, nil
}

// LoadImages implements engine.Engine: the daemon's `docker load`. The
// daemon reports a damaged archive in its progress stream, which is
// returned as the error.
func (d *Docker) LoadImages(ctx context.Context, r io.Reader, progress func(string)) error {
	res, err := d.cli.ImageLoad(ctx, r, client.ImageLoadWithQuiet(true))
	if err != nil {
		return d.wrap(err, "load images")
	}
	defer res.Close()
	err = readMessages(res, func(m jsonMessage) {
		if progress == nil {
			return
		}
		if m.Stream != "" {
			for line := range strings.SplitSeq(strings.TrimRight(m.Stream, "\n"), "\n") {
				if line = strings.TrimSpace(line); line != "" {
					progress(line)
				}
			}
		}
	})
	if err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return fmt.Errorf("load images: %w", err)
	}
	return nil
}
