package check

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/probe"
	"github.com/proeftuin/proeftuin/internal/probebin"
)

// The probe sidecar.
//
// A check `from` a service runs in a helper container that joins the
// service's network namespace (network mode container:<id>): it sees the
// service's interfaces, its routes, its firewall and Docker's embedded DNS
// exactly as the service does. The helper's image is built locally, with no
// registry: FROM scratch plus a static Linux probe for the engine's
// architecture (internal/probebin), tagged with the binary's hash. Its main process is `proeftuin probe serve`, which waits;
// each probe is an exec of `proeftuin probe <kind> --json ...` in it.
//
// The sidecar carries the instance label, so `down` removes it; it is
// named <instance>-probe-<service> and reused by later checks while its
// service's container (ID and start time) stays the same. A restarted
// service gets a fresh namespace, so its sidecar is replaced.
const (
	// ProbeImageRepo is the repository of probe sidecar images.
	ProbeImageRepo = "proeftuin/probe"
	// EnvProbeBinary overrides the binary put into the probe image.
	EnvProbeBinary = probebin.EnvBinary

	labelProbeBinary = "proeftuin.probe.binary" // SHA-256 of the binary
	labelProbeTarget = "proeftuin.probe.target" // "<container ID>@<started at>"
	probeBinaryPath  = "/proeftuin"
	// execSlack is what an exec in the sidecar may take beyond the
	// probe's own timeout.
	execSlack = 10 * time.Second
)

// probeDockerfile is the recipe of the probe image.
const probeDockerfile = "FROM scratch\nCOPY proeftuin " + probeBinaryPath + "\nCMD [\"" + probeBinaryPath + "\", \"probe\", \"serve\"]\n"

// dockerDNS is Docker's embedded DNS server on user-defined networks.
const dockerDNS = "127.0.0.11"

type sidecar struct {
	mu          sync.Mutex
	id          string
	target      string // labelProbeTarget value it was made for
	nameservers []string
}

// probeImage is the sidecar image: its reference and the binary's hash.
type probeImage struct {
	ref string
	sum string
}

// inSidecar runs one probe in the sidecar of service. args renders the
// probe's command line given the service's name servers.
func (r *Runner) inSidecar(ctx context.Context, service string, timeout time.Duration, args func(nameservers []string) []string) attempt {
	id, ns, err := r.sidecarFor(ctx, service)
	if err != nil {
		return attempt{err: err}
	}
	cmd := append([]string{probeBinaryPath, "probe"}, args(ns)...)
	ectx, cancel := context.WithTimeout(ctx, timeout+execSlack)
	defer cancel()
	res, err := r.Engine.Exec(ectx, id, engine.ExecSpec{Command: cmd})
	if err != nil {
		// The sidecar may have gone with a restarted service; the next
		// attempt makes a new one.
		return attempt{err: transient(fmt.Errorf("run probe from service %s: %w", service, err))}
	}
	out, perr := parseProbeOutput(res.Stdout)
	if perr != nil {
		err := fmt.Errorf("probe from service %s gave no result (exit code %d): %s", service, res.ExitCode,
			probe.Excerpt(strings.TrimSpace(string(res.Stderr)+" "+string(res.Stdout)), 300))
		if d, ierr := r.Engine.InspectContainer(ctx, id); ierr != nil || d.State != engine.StateRunning {
			// The sidecar died (its service restarted, or it crashed);
			// the next attempt makes a new one.
			return attempt{err: transient(err)}
		}
		return attempt{err: err}
	}
	return fromResult(out)
}

// parseProbeOutput reads the last JSON line the probe printed.
func parseProbeOutput(stdout []byte) (probe.Result, error) {
	lines := strings.Split(strings.TrimSpace(string(stdout)), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		line := strings.TrimSpace(lines[i])
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var res probe.Result
		if err := json.Unmarshal([]byte(line), &res); err != nil {
			return probe.Result{}, err
		}
		return res, nil
	}
	return probe.Result{}, errors.New("no result line")
}

// sidecarFor returns a running sidecar in the network namespace of service
// and the name servers probes there should use.
func (r *Runner) sidecarFor(ctx context.Context, service string) (string, []string, error) {
	netService := r.networkService(service)
	target, err := r.runningContainer(ctx, netService)
	if err != nil {
		return "", nil, err
	}
	detail, err := r.Engine.InspectContainer(ctx, target.ID)
	if err != nil {
		return "", nil, transient(fmt.Errorf("inspect service %s: %w", netService, err))
	}
	if detail.State != engine.StateRunning {
		return "", nil, transient(fmt.Errorf("service %s is not running (%s)", netService, detail.State))
	}
	key := target.ID + "@" + detail.StartedAt.UTC().Format(time.RFC3339Nano)

	r.mu.Lock()
	if r.sidecars == nil {
		r.sidecars = map[string]*sidecar{}
	}
	sc := r.sidecars[netService]
	if sc == nil {
		sc = &sidecar{}
		r.sidecars[netService] = sc
	}
	r.mu.Unlock()

	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.id != "" && sc.target == key {
		d, err := r.Engine.InspectContainer(ctx, sc.id)
		if err == nil && d.State == engine.StateRunning {
			return sc.id, sc.nameservers, nil
		}
	}

	img, err := r.ensureImage(ctx)
	if err != nil {
		return "", nil, err
	}
	id, err := r.startSidecar(ctx, netService, target.ID, key, img)
	if err != nil {
		return "", nil, err
	}
	sc.id, sc.target = id, key
	sc.nameservers = r.nameservers(ctx, target.ID, detail)
	return sc.id, sc.nameservers, nil
}

// startSidecar adopts a fitting sidecar left by an earlier run or replaces
// it with a new one.
func (r *Runner) startSidecar(ctx context.Context, service, targetID, key string, img probeImage) (string, error) {
	labels := map[string]string{
		engine.LabelInstance: r.Instance,
		engine.LabelProbe:    service,
	}
	existing, err := r.Engine.Containers(ctx, labels)
	if err != nil {
		return "", fmt.Errorf("find probe sidecar of %s: %w", service, err)
	}
	for _, c := range existing {
		if c.Labels[labelProbeTarget] == key && c.Labels[labelProbeBinary] == img.sum && c.State == engine.StateRunning {
			return c.ID, nil
		}
		if err := r.Engine.RemoveContainer(ctx, c.ID); err != nil && !errors.Is(err, engine.ErrNotFound) {
			return "", fmt.Errorf("remove stale probe sidecar %s: %w", c.Name, err)
		}
	}

	labels[labelProbeTarget] = key
	labels[labelProbeBinary] = img.sum
	if r.Env != nil && r.Env.Name != "" {
		labels[engine.LabelEnv] = r.Env.Name
	}
	name := r.Instance + "-probe-" + service
	id, err := r.Engine.CreateContainer(ctx, engine.ContainerSpec{
		Name:        name,
		Image:       img.ref,
		Command:     []string{probeBinaryPath, "probe", "serve"},
		Labels:      labels,
		NetworkMode: "container:" + targetID,
	})
	if errors.Is(err, engine.ErrConflict) {
		return "", fmt.Errorf("create probe sidecar: a container named %s exists but was not made by this instance's checks; remove it: %w", name, err)
	}
	if err != nil {
		return "", fmt.Errorf("create probe sidecar for service %s: %w", service, err)
	}
	if err := r.Engine.StartContainer(ctx, id); err != nil {
		_ = r.Engine.RemoveContainer(context.WithoutCancel(ctx), id)
		// The service may have stopped in between.
		return "", transient(fmt.Errorf("start probe sidecar for service %s: %w", service, err))
	}
	return id, nil
}

// nameservers are the name servers in the target's /etc/resolv.conf; Go's
// resolver in the sidecar has no resolv.conf of its own. When that file
// cannot be read, a container on a user-defined network uses Docker's
// embedded DNS.
func (r *Runner) nameservers(ctx context.Context, targetID string, d engine.ContainerDetail) []string {
	if data, err := r.readFile(ctx, targetID, "/etc/resolv.conf", 64<<10); err == nil {
		if ns := probe.ParseResolvConf(data); len(ns) > 0 {
			return ns
		}
	}
	for _, name := range d.Networks {
		switch name {
		case "bridge", "host", "none", "":
		default:
			return []string{dockerDNS}
		}
	}
	return nil
}

// readFile returns the content of a regular file in a container (at most
// limit bytes), following symbolic links.
func (r *Runner) readFile(ctx context.Context, id, path string, limit int64) ([]byte, error) {
	st, err := r.stat(ctx, id, path, limit)
	if err != nil {
		return nil, err
	}
	if !st.regular {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	return st.content, nil
}

// Cleanup removes the probe sidecars this runner started or adopted.
func (r *Runner) Cleanup(ctx context.Context) error {
	r.mu.Lock()
	scs := r.sidecars
	r.sidecars = nil
	r.mu.Unlock()
	var errs []error
	for service, sc := range scs {
		sc.mu.Lock()
		id := sc.id
		sc.mu.Unlock()
		if id == "" {
			continue
		}
		if err := r.Engine.RemoveContainer(ctx, id); err != nil && !errors.Is(err, engine.ErrNotFound) {
			errs = append(errs, fmt.Errorf("remove probe sidecar of %s: %w", service, err))
		}
	}
	return errors.Join(errs...)
}

// ensureImage finds or builds proeftuin/probe:<hash of the binary>.
func (r *Runner) ensureImage(ctx context.Context) (probeImage, error) {
	r.imageMu.Lock()
	defer r.imageMu.Unlock()
	if r.image.ref != "" {
		return r.image, nil
	}
	arch := ""
	if info, err := r.Engine.Info(ctx); err == nil {
		arch = info.Arch
	}
	path, err := r.probeBinary(ctx, arch)
	if err != nil {
		return probeImage{}, err
	}
	sum, err := fileSHA256(path)
	if err != nil {
		return probeImage{}, fmt.Errorf("probe sidecar: %w", err)
	}
	// The tag covers the recipe too, so a changed recipe never reuses
	// an image built by an older one.
	tag := sha256.Sum256([]byte(probeDockerfile + sum))
	ref := ProbeImageRepo + ":" + hex.EncodeToString(tag[:])[:16]
	if _, err := r.Engine.ImageID(ctx, ref); err == nil {
		r.image = probeImage{ref: ref, sum: sum}
		return r.image, nil
	} else if !errors.Is(err, engine.ErrNotFound) {
		return probeImage{}, fmt.Errorf("probe sidecar: look up image %s: %w", ref, err)
	}

	dir, err := os.MkdirTemp("", "proeftuin-probe-")
	if err != nil {
		return probeImage{}, fmt.Errorf("probe sidecar: %w", err)
	}
	defer os.RemoveAll(dir)
	if err := copyFile(path, filepath.Join(dir, "proeftuin"), 0o755); err != nil {
		return probeImage{}, fmt.Errorf("probe sidecar: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(probeDockerfile), 0o644); err != nil {
		return probeImage{}, fmt.Errorf("probe sidecar: %w", err)
	}
	if r.Progress != nil {
		r.Progress("building probe image " + ref)
	}
	if _, err := r.Engine.BuildImage(ctx, engine.BuildSpec{
		ContextDir: dir,
		Dockerfile: "Dockerfile",
		Tags:       []string{ref},
		Labels:     map[string]string{labelProbeBinary: sum},
	}, r.Progress); err != nil {
		return probeImage{}, fmt.Errorf("probe sidecar: build image %s: %w", ref, err)
	}
	r.image = probeImage{ref: ref, sum: sum}
	return r.image, nil
}

// probeBinary is the executable put into the probe image: the one the
// caller or EnvProbeBinary names, else the probe for the engine's
// architecture arch that probebin finds (carried inside a release build,
// this binary, or built with the local Go toolchain).
func (r *Runner) probeBinary(ctx context.Context, arch string) (string, error) {
	path := r.ProbeBinary
	if path == "" {
		path = os.Getenv(EnvProbeBinary)
	}
	if path == "" {
		path, err := probebin.Find(ctx, arch, r.Progress)
		if err != nil {
			return "", fmt.Errorf("probe sidecar: %w", err)
		}
		return path, nil
	}
	return path, CheckProbeBinary(path, arch)
}

// CheckProbeBinary tells whether path can run in a FROM scratch probe
// sidecar on an engine of architecture arch (as engine.Info reports it; ""
// skips that test): it must be a statically linked Linux ELF executable
// (see probebin.Check), and says what to do when it is not.
func CheckProbeBinary(path, arch string) error {
	goarch := ""
	if arch != "" {
		goarch = probebin.GOARCH(arch)
	}
	err := probebin.Check(path, goarch)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("probe sidecar: %w", err)
	}
	return fmt.Errorf("checks from a service need a static Linux build of proeftuin for the probe sidecar: %w; set %s to one built with GOOS=linux CGO_ENABLED=0 for the engine's architecture (as `make build` does)", err, EnvProbeBinary)
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func copyFile(src, dst string, mode os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, bufio.NewReader(in)); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}

// fileStat is what a tar of one path says about it.
type fileStat struct {
	exists  bool
	dir     bool
	regular bool
	link    string
	mode    int64
	content []byte // regular files, up to the limit
	size    int64
}

// stat reads path in a container through the engine's archive API (no
// shell needed), following up to 8 symbolic links. A missing path is
// reported as !exists, not as an error.
func (r *Runner) stat(ctx context.Context, id, path string, limit int64) (fileStat, error) {
	for hop := 0; hop < 8; hop++ {
		st, err := r.statOnce(ctx, id, path, limit)
		if err != nil || st.link == "" {
			return st, err
		}
		if strings.HasPrefix(st.link, "/") {
			path = st.link
		} else {
			path = filepath.ToSlash(filepath.Join(filepath.Dir(path), st.link))
		}
	}
	return fileStat{}, fmt.Errorf("%s: too many levels of symbolic links", path)
}

func (r *Runner) statOnce(ctx context.Context, id, path string, limit int64) (fileStat, error) {
	rc, err := r.Engine.CopyFrom(ctx, id, path)
	if errors.Is(err, engine.ErrNotFound) {
		return fileStat{}, nil
	}
	if err != nil {
		return fileStat{}, fmt.Errorf("read %s: %w", path, err)
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	h, err := tr.Next()
	if err != nil {
		return fileStat{}, fmt.Errorf("read %s: %w", path, err)
	}
	st := fileStat{exists: true, mode: h.Mode & 0o7777, size: h.Size}
	switch h.Typeflag {
	case tar.TypeDir:
		st.dir = true
	case tar.TypeSymlink:
		st.link = h.Linkname
	case tar.TypeReg:
		st.regular = true
		var buf bytes.Buffer
		if _, err := io.Copy(&buf, io.LimitReader(tr, limit)); err != nil {
			return fileStat{}, fmt.Errorf("read %s: %w", path, err)
		}
		st.content = buf.Bytes()
	}
	return st, nil
}
