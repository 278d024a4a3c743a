package fake

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// fakeSaveFile is the one file of the fake's image archives: a JSON object
// of reference -> image ID.
const fakeSaveFile = "fake-images.json"

// SaveImages implements engine.Engine. The archive is a tar with one JSON
// file mapping each reference to its ID; LoadImages reads it back.
func (e *Engine) SaveImages(ctx context.Context, refs []string) (io.ReadCloser, error) {
	if err := e.begin(ctx, "SaveImages", strings.Join(refs, ",")); err != nil {
		return nil, err
	}
	if len(refs) == 0 {
		return nil, errors.New("save images: no image given")
	}
	e.mu.Lock()
	saved := map[string]string{}
	for _, ref := range refs {
		id, ok := e.images[ref]
		if !ok {
			e.mu.Unlock()
			return nil, fmt.Errorf("save images: image %s: %w", ref, engine.ErrNotFound)
		}
		saved[ref] = id
	}
	e.mu.Unlock()
	data, err := json.Marshal(saved)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	if err := tw.WriteHeader(&tar.Header{Name: fakeSaveFile, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
		return nil, err
	}
	if _, err := tw.Write(data); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return io.NopCloser(&buf), nil
}

// LoadImages implements engine.Engine for archives made by SaveImages.
func (e *Engine) LoadImages(ctx context.Context, r io.Reader, progress func(string)) error {
	if err := e.begin(ctx, "LoadImages", ""); err != nil {
		return err
	}
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return errors.New("load images: archive has no " + fakeSaveFile)
		}
		if err != nil {
			return fmt.Errorf("load images: %w", err)
		}
		if h.Name != fakeSaveFile {
			continue
		}
		var saved map[string]string
		if err := json.NewDecoder(tr).Decode(&saved); err != nil {
			return fmt.Errorf("load images: %w", err)
		}
		refs := make([]string, 0, len(saved))
		for ref := range saved {
			refs = append(refs, ref)
		}
		sort.Strings(refs)
		e.mu.Lock()
		for _, ref := range refs {
			e.images[ref] = saved[ref]
		}
		e.mu.Unlock()
		if progress != nil {
			for _, ref := range refs {
				progress("Loaded image: " + ref)
			}
		}
		return nil
	}
}
