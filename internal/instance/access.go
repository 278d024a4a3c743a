package instance

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// Container finds the container of service; an instance without one is
// an error that says to look at status.
func (i *Instance) Container(ctx context.Context, service string) (engine.Container, error) {
	ctrs, err := i.eng.Containers(ctx, engine.Service(i.name, service))
	if err != nil {
		return engine.Container{}, engineError(err)
	}
	for _, c := range ctrs {
		// Only the container proeftuin made for the service, not one
		// that merely carries its labels.
		if engine.MadeFor(c, i.name) {
			return c, nil
		}
	}
	return engine.Container{}, fmt.Errorf("instance %s has no container for service %s (is it up? see proeftuin status)", i.name, service)
}

// Running is Container, refusing a container that does not run.
func (i *Instance) Running(ctx context.Context, service string) (engine.Container, error) {
	ctr, err := i.Container(ctx, service)
	if err == nil && !ctr.State.Running() {
		err = fmt.Errorf("service %s is %s, not running", service, ctr.State)
	}
	return ctr, err
}

// Exec runs a command in the running container of service. The result
// holds the output also when err is not nil.
func (i *Instance) Exec(ctx context.Context, ctr engine.Container, spec engine.ExecSpec) (engine.ExecResult, error) {
	res, err := i.eng.Exec(ctx, ctr.ID, spec)
	if err != nil {
		return res, engineError(err)
	}
	return res, nil
}

// LogOptions control Logs.
type LogOptions struct {
	engine.LogOptions
	// Redact hides secrets in every line; nil shows them as they are.
	Redact func(string) string
}

// Logs writes the logs of services (every container of the instance when
// none is named) to w line by line; with more than one container every
// line starts with its service's name. Lines of different services never
// interleave. A cancelled ctx ends a followed log without an error.
func (i *Instance) Logs(ctx context.Context, services []string, w io.Writer, o LogOptions) error {
	var ctrs []engine.Container
	if len(services) == 0 {
		all, err := i.eng.Containers(ctx, engine.Instance(i.name))
		if err != nil {
			return engineError(err)
		}
		if len(all) == 0 {
			return fmt.Errorf("instance %s has no containers", i.name)
		}
		ctrs = all
	}
	for _, s := range services {
		ctr, err := i.Container(ctx, s)
		if err != nil {
			return err
		}
		ctrs = append(ctrs, ctr)
	}
	width := 0
	for _, ctr := range ctrs {
		width = max(width, len(ctr.Labels[engine.LabelService]))
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make([]error, len(ctrs))
	for n, ctr := range ctrs {
		prefix := ""
		if len(ctrs) > 1 {
			prefix = fmt.Sprintf("%-*s | ", width, ctr.Labels[engine.LabelService])
		}
		wg.Go(func() { errs[n] = i.copyLog(ctx, ctr.ID, w, prefix, o, &mu) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return engineError(err)
	}
	return nil
}

// copyLog writes one container's log line by line, with prefix, holding
// mu per line.
func (i *Instance) copyLog(ctx context.Context, id string, w io.Writer, prefix string, o LogOptions, mu *sync.Mutex) error {
	rc, err := i.eng.Logs(ctx, id, o.LogOptions)
	if err != nil {
		return err
	}
	defer rc.Close()
	r := bufio.NewReaderSize(rc, 64<<10)
	for {
		line, err := r.ReadString('\n')
		if line != "" {
			if o.Redact != nil {
				line = o.Redact(line)
			}
			mu.Lock()
			_, _ = io.WriteString(w, prefix+line)
			if line[len(line)-1] != '\n' {
				_, _ = io.WriteString(w, "\n")
			}
			mu.Unlock()
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("read log: %w", err)
		}
	}
}
