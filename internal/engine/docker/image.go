package docker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/moby/go-archive"
	"github.com/moby/moby/api/types/build"
	"github.com/moby/moby/client"

	"github.com/proeftuin/proeftuin/internal/buildctx"
	"github.com/proeftuin/proeftuin/internal/engine"
)

// ImageID implements engine.Engine.
func (d *Docker) ImageID(ctx context.Context, ref string) (string, error) {
	res, err := d.cli.ImageInspect(ctx, ref)
	if err != nil {
		return "", d.wrap(err, "inspect image %s", ref)
	}
	return res.ID, nil
}

// jsonMessage is one line of the daemon's build and pull progress. Older
// daemons put the error in "error" as well as in "errorDetail".
type jsonMessage struct {
	Stream      string `json:"stream"`
	Status      string `json:"status"`
	ID          string `json:"id"`
	Progress    string `json:"progress"`
	Error       string `json:"error"`
	ErrorDetail *struct {
		Message string `json:"message"`
	} `json:"errorDetail"`
	Aux json.RawMessage `json:"aux"`
}

func (m jsonMessage) err() error {
	switch {
	case m.ErrorDetail != nil && m.ErrorDetail.Message != "":
		return errors.New(strings.TrimSpace(m.ErrorDetail.Message))
	case m.Error != "":
		return errors.New(strings.TrimSpace(m.Error))
	}
	return nil
}

// readMessages decodes a progress stream, calling fn for each message,
// until the stream ends or a message carries an error.
func readMessages(r io.Reader, fn func(jsonMessage)) error {
	dec := json.NewDecoder(r)
	for {
		var m jsonMessage
		if err := dec.Decode(&m); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("read progress: %w", err)
		}
		if err := m.err(); err != nil {
			return err
		}
		fn(m)
	}
}

// PullImage implements engine.Engine.
func (d *Docker) PullImage(ctx context.Context, ref string, progress func(string)) error {
	rc, err := d.cli.ImagePull(ctx, ref, client.ImagePullOptions{})
	if err != nil {
		return d.wrap(err, "pull image %s", ref)
	}
	defer rc.Close()
	err = readMessages(rc, func(m jsonMessage) {
		if progress == nil || m.Status == "" {
			return
		}
		line := m.Status
		if m.ID != "" {
			line = m.ID + ": " + line
		}
		if m.Progress != "" {
			line += " " + m.Progress
		}
		progress(line)
	})
	if err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return fmt.Errorf("pull image %s: %w", ref, err)
	}
	return nil
}

// BuildImage implements engine.Engine. It uses the classic builder and the
// engine's build cache. The context honours .dockerignore; the Dockerfile
// and .dockerignore are always sent, as the docker CLI does.
func (d *Docker) BuildImage(ctx context.Context, spec engine.BuildSpec, progress func(string)) (string, error) {
	name := spec.ContextDir
	if len(spec.Tags) > 0 {
		name = spec.Tags[0]
	}
	dockerfile := spec.Dockerfile
	if dockerfile == "" {
		dockerfile = "Dockerfile"
	}
	tarball, err := buildContext(spec.ContextDir, dockerfile)
	if err != nil {
		return "", fmt.Errorf("build image %s: %w", name, err)
	}
	defer tarball.Close()

	args := make(map[string]*string, len(spec.Args))
	for k, v := range spec.Args {
		args[k] = &v
	}
	res, err := d.cli.ImageBuild(ctx, tarball, client.ImageBuildOptions{
		Tags:       spec.Tags,
		Dockerfile: filepath.ToSlash(dockerfile),
		BuildArgs:  args,
		Target:     spec.Target,
		Labels:     spec.Labels,
		Remove:     true,
		// A failed step's container is removed too: a student's broken
		// Dockerfile must not leave stopped containers on the engine.
		ForceRemove: true,
		Version:     build.BuilderV1,
	})
	if err != nil {
		return "", d.wrap(err, "build image %s", name)
	}
	defer res.Body.Close()

	var id string
	err = readMessages(res.Body, func(m jsonMessage) {
		if len(m.Aux) > 0 {
			var aux struct{ ID string }
			if json.Unmarshal(m.Aux, &aux) == nil && aux.ID != "" {
				id = aux.ID
			}
		}
		if progress == nil {
			return
		}
		if m.Stream != "" {
			for line := range strings.SplitSeq(strings.TrimRight(m.Stream, "\n"), "\n") {
				progress(line)
			}
		} else if m.Status != "" && m.Progress == "" {
			// Pulling a base image; per-layer progress bars are left out.
			progress(strings.TrimSpace(m.ID + " " + m.Status))
		}
	})
	if err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return "", fmt.Errorf("build image %s: %w", name, err)
	}
	if id == "" && len(spec.Tags) > 0 {
		if id, err = d.ImageID(ctx, spec.Tags[0]); err != nil {
			return "", fmt.Errorf("build image %s: %w", name, err)
		}
	}
	if id == "" {
		return "", fmt.Errorf("build image %s: the engine reported no image ID", name)
	}
	return id, nil
}

// buildContext tars dir for the daemon, leaving out what .dockerignore
// excludes.
func buildContext(dir, dockerfile string) (io.ReadCloser, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("build context: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("build context %s is not a folder", dir)
	}
	if _, err := os.Stat(filepath.Join(dir, dockerfile)); err != nil {
		return nil, fmt.Errorf("dockerfile: %w", err)
	}
	excludes, err := buildctx.Excludes(dir, dockerfile)
	if err != nil {
		return nil, err
	}
	tarball, err := archive.TarWithOptions(dir, &archive.TarOptions{
		ExcludePatterns: excludes,
		ChownOpts:       &archive.ChownOpts{UID: 0, GID: 0},
	})
	if err != nil {
		return nil, fmt.Errorf("build context %s: %w", dir, err)
	}
	return tarball, nil
}
