package grade

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/proeftuin/proeftuin/internal/bundle"
	"github.com/proeftuin/proeftuin/internal/engine"
)

// errImageClash: a bundle brings an image under a name the engine
// already has with other content.
var errImageClash = errors.New("image clash")

// loadImages loads the images a bundle brought (its images.tar) into
// eng, as `bundle import` would, so that a teacher without a registry
// grades bundles offline. An image the engine already has under the same
// name is never replaced, since other submissions run on it: when every
// image is there with the same ID nothing is loaded (thirty bundles of
// one lab cost one load), and an image that is there with another ID
// refuses the submission. Loads on one engine happen one at a time.
func (o *Options) loadImages(ctx context.Context, eng engine.Engine, mu *chanMutex, s *Submission) error {
	if s.Images == "" {
		return nil
	}
	if err := mu.lock(ctx); err != nil {
		return err
	}
	defer mu.unlock()
	load := false
	for _, im := range s.BundleImages {
		id, err := eng.ImageID(ctx, im.Ref)
		switch {
		case errors.Is(err, engine.ErrNotFound):
			load = true
		case err != nil:
			return err
		case im.ID != "" && id != im.ID:
			return fmt.Errorf("%w: the bundle's image %s (%s) differs from the engine's image of that name (%s); grading never replaces an engine's image: remove or retag it and grade again", errImageClash, im.Ref, short(im.ID), short(id))
		}
	}
	if !load {
		return nil
	}
	f, err := os.Open(s.Images)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := eng.LoadImages(ctx, f, nil); err != nil {
		return fmt.Errorf("load the bundle's images: %w", err)
	}
	for _, im := range s.BundleImages {
		if _, err := eng.ImageID(ctx, im.Ref); err != nil {
			return fmt.Errorf("image %s is not in the engine after loading the bundle: %w", im.Ref, err)
		}
	}
	return nil
}

func short(id string) string {
	if len(id) > 19 {
		return id[:19]
	}
	return id
}

// chanMutex is a mutex whose lock gives up when ctx ends.
type chanMutex chan struct{}

func newChanMutex() *chanMutex {
	m := make(chanMutex, 1)
	return &m
}

func (m *chanMutex) lock(ctx context.Context) error {
	select {
	case *m <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (m *chanMutex) unlock() { <-*m }

// bundleImages notes the images of a bundle unpacked in dir.
func (s *Submission) bundleImages(m *bundle.Manifest, dir string) {
	if m == nil || !m.ImagesIncluded || len(m.Images) == 0 {
		return
	}
	s.Images = filepath.Join(dir, filepath.FromSlash(bundle.ImagesEntry))
	s.BundleImages = m.Images
}
