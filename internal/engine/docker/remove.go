package docker

import (
	"context"
	"fmt"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// removeOptions is how proeftuin removes containers: forced (no grace) and
// with their anonymous volumes.
var removeOptions = client.ContainerRemoveOptions{Force: true, RemoveVolumes: true}

// removalWaitMax bounds how long RemoveContainer waits for a removal that
// another request started (ctx may bound it sooner).
const removalWaitMax = time.Minute

// removalPoll is how often RemoveContainer looks whether a container that
// another request is removing is gone yet.
var removalPoll = 100 * time.Millisecond

// removalInProgress reports whether err is the daemon's 409 to a forced
// removal, which only "removal of container … is already in progress"
// gives: another request (often a process that was killed right after
// sending it, e.g. an `up` interrupted twice) is removing the container,
// and the daemon carries on with it.
func removalInProgress(err error) bool {
	return err != nil && cerrdefs.IsConflict(err)
}

// removeContainer removes a container. When someone else is already
// removing it, the wanted outcome is on its way: it waits (polling
// inspect, bounded by ctx and removalWaitMax) until the container is gone
// and succeeds. Should the other removal give up (the container is left
// "dead", "exited" or "created" rather than "removing"), it removes the
// container itself.
func (d *Docker) removeContainer(ctx context.Context, id string) error {
	_, err := d.cli.ContainerRemove(ctx, id, removeOptions)
	if !removalInProgress(err) {
		return d.wrap(err, "remove container %s", id)
	}
	wctx, cancel := context.WithTimeout(ctx, removalWaitMax)
	defer cancel()
	tick := time.NewTicker(removalPoll)
	defer tick.Stop()
	for {
		select {
		case <-wctx.Done():
			if ctx.Err() != nil {
				return fmt.Errorf("remove container %s: waiting for a removal already in progress: %w", id, ctx.Err())
			}
			return d.wrap(err, "remove container %s: still being removed after %s", id, removalWaitMax)
		case <-tick.C:
		}
		res, ierr := d.cli.ContainerInspect(wctx, id, client.ContainerInspectOptions{})
		switch {
		case cerrdefs.IsNotFound(ierr):
			return nil
		case ierr != nil:
			if wctx.Err() != nil {
				continue // the select above reports it
			}
			return d.wrap(ierr, "remove container %s: inspect while its removal is in progress", id)
		case res.Container.State != nil && res.Container.State.Status == container.StateRemoving:
			continue
		}
		// Not (or no longer) marked as being removed: a running container
		// is still being killed by the other removal, or that removal gave
		// up. Asking again is harmless either way.
		_, err = d.cli.ContainerRemove(wctx, id, removeOptions)
		switch {
		case err == nil || cerrdefs.IsNotFound(err):
			return nil
		case !removalInProgress(err):
			if wctx.Err() != nil {
				continue
			}
			return d.wrap(err, "remove container %s", id)
		}
	}
}
