package probebin

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/proeftuin/proeftuin/internal/atomicfile"
)

// buildTimeout bounds building the probe with the local toolchain; a cold
// build of it takes well under a minute.
const buildTimeout = 5 * time.Minute

// cacheDir is where probes are unpacked or built: the user's cache folder
// (it outlives one run, so an unpacked probe is reused), else the
// temporary folder.
func cacheDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	dir := filepath.Join(base, "proeftuin", "probe")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("probe cache: %w", err)
	}
	return dir, nil
}

// fromEmbedded unpacks the probe for goarch carried inside this binary
// into the cache; "" and no error when it carries none.
func fromEmbedded(goarch string) (string, error) {
	if embedded == nil {
		return "", nil
	}
	gz, err := fs.ReadFile(embedded, "assets/probe-linux-"+goarch+".gz")
	if err != nil {
		return "", nil
	}
	sum := sha256.Sum256(gz)
	dir, err := cacheDir()
	if err != nil {
		return "", err
	}
	dst := filepath.Join(dir, "probe-linux-"+goarch+"-"+hex.EncodeToString(sum[:8]))
	if Check(dst, goarch) == nil {
		return dst, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return "", fmt.Errorf("unpack the probe for linux/%s: %w", goarch, err)
	}
	if err := atomicfile.WriteFunc(dst, 0o755, func(w io.Writer) error {
		_, err := io.Copy(w, bufio.NewReader(zr))
		return err
	}); err != nil {
		return "", fmt.Errorf("unpack the probe for linux/%s: %w", goarch, err)
	}
	return dst, nil
}

// build builds the probe for linux/goarch with the local Go toolchain from
// proeftuin's source, and returns a path named for its content (so two
// processes never overwrite a probe the other is using).
func build(ctx context.Context, goarch string, progress func(string)) (string, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", errors.New("no Go toolchain on PATH to build it")
	}
	src, err := sourceDir(ctx, goBin)
	if err != nil {
		return "", err
	}
	dir, err := cacheDir()
	if err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(dir, "build-"+goarch+"-")
	if err != nil {
		return "", fmt.Errorf("probe cache: %w", err)
	}
	_ = tmp.Close()
	defer os.Remove(tmp.Name())
	if progress != nil {
		progress("building the probe for linux/" + goarch + " with the local Go toolchain")
	}
	ctx, cancel := context.WithTimeout(ctx, buildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, goBin, "build", "-trimpath", "-ldflags=-s -w", "-o", tmp.Name(), "./cmd/proeftuin-probe")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+goarch, "GOWORK=off", "GOFLAGS=-mod=readonly")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building it with %s in %s failed: %v: %s", goBin, src, err, strings.TrimSpace(string(out)))
	}
	sum, err := fileSum(tmp.Name())
	if err != nil {
		return "", err
	}
	dst := filepath.Join(dir, "probe-linux-"+goarch+"-"+sum)
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return "", fmt.Errorf("probe cache: %w", err)
	}
	return dst, Check(dst, goarch)
}

func fileSum(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)[:8]), nil
}

// sourceDir finds proeftuin's source: the checkout this binary was built
// in (known unless it was built with -trimpath), a checkout holding the
// current folder, or, for a `go install ...@version` build, that version
// in the module cache (downloaded when missing).
func sourceDir(ctx context.Context, goBin string) (string, error) {
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		if dir := filepath.Join(filepath.Dir(file), "..", ".."); isModuleRoot(dir) {
			return dir, nil
		}
	}
	if wd, err := os.Getwd(); err == nil {
		for dir := wd; ; dir = filepath.Dir(dir) {
			if isModuleRoot(dir) {
				return dir, nil
			}
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Path == Module && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		ctx, cancel := context.WithTimeout(ctx, buildTimeout)
		defer cancel()
		out, err := exec.CommandContext(ctx, goBin, "mod", "download", "-json", Module+"@"+bi.Main.Version).Output()
		if err != nil {
			return "", fmt.Errorf("cannot download proeftuin %s's source to build it: %v", bi.Main.Version, err)
		}
		var m struct{ Dir string }
		if err := json.Unmarshal(out, &m); err == nil && m.Dir != "" {
			return m.Dir, nil
		}
	}
	return "", errors.New("proeftuin's source is not on this machine to build it")
}

// isModuleRoot reports whether dir holds proeftuin's go.mod and the probe.
func isModuleRoot(dir string) bool {
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil || !strings.Contains(string(data), "module "+Module+"\n") {
		return false
	}
	_, err = os.Stat(filepath.Join(dir, "cmd", "proeftuin-probe", "main.go"))
	return err == nil
}
