package docker

import (
	"context"
	"fmt"
	"io"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/client"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// Logs implements engine.Engine. The result interleaves stdout and stderr
// in the order the daemon sends them; closing it stops the stream. A
// container with a TTY has a raw stream, passed through as is.
func (d *Docker) Logs(ctx context.Context, id string, opts engine.LogOptions) (io.ReadCloser, error) {
	c, err := d.inspect(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("logs of container %s: %w", id, err)
	}
	tail := opts.Tail
	if tail == "" {
		tail = "all"
	}
	rc, err := d.cli.ContainerLogs(ctx, id, client.ContainerLogsOptions{
		ShowStdout: true,
		ShowStderr: true,
		Follow:     opts.Follow,
		Tail:       tail,
	})
	if err != nil {
		return nil, d.wrap(err, "logs of container %s", id)
	}
	if c.Config != nil && c.Config.Tty {
		return rc, nil
	}
	return demux(rc), nil
}

// demux turns a multiplexed stream into one combined stream.
func demux(rc io.ReadCloser) io.ReadCloser {
	pr, pw := io.Pipe()
	go func() {
		_, err := stdcopy.StdCopy(pw, pw, rc)
		_ = rc.Close()
		_ = pw.CloseWithError(err) // nil closes with io.EOF
	}()
	return &demuxReader{PipeReader: pr, src: rc}
}

// demuxReader closes the source as well, so the goroutine ends.
type demuxReader struct {
	*io.PipeReader
	src io.Closer
}

func (r *demuxReader) Close() error {
	_ = r.src.Close()
	return r.PipeReader.Close()
}
