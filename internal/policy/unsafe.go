// Package unsafe refuses container settings that give a lab's containers
// power over the host. A student runs labs that someone else wrote; `up`
// must not hand such a lab the machine unless the student said so with
// --allow NAME.
package policy

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/proeftuin/proeftuin/internal/config"
)

// Names of the settings that can be allowed.
const (
	Privileged   = "privileged"
	HostNetwork  = "host-network"
	DockerSocket = "docker-socket"
	BindOutside  = "bind-outside"
	Devices      = "devices"
	Capabilities = "capabilities"
)

// Names lists every setting --allow accepts, sorted.
var Names = []string{BindOutside, Capabilities, Devices, DockerSocket, HostNetwork, Privileged}

// SafeCapabilities may be added without --allow: labs need them for
// routing, packet capture and time experiments, and they stay inside the
// container's own namespaces.
var SafeCapabilities = []string{"NET_ADMIN", "NET_RAW", "SYS_TIME"}

var why = map[string]string{
	Privileged:   "A privileged container has every capability and every device of the host; it can take over the machine.",
	HostNetwork:  "A container on the host network shares the host's interfaces and ports; it can listen on and reach everything the host can, outside the lab's isolated networks.",
	DockerSocket: "Access to the Docker socket is root access to the host: the container can start any container with any host folder mounted.",
	BindOutside:  "A bind mount outside the environment folder lets the container read and change the host's own files.",
	Devices:      "A host device in a container gives it direct access to the host's hardware.",
	Capabilities: "Extra Linux capabilities let a container act with root powers over the host kernel; only " + strings.Join(SafeCapabilities, ", ") + " are allowed without asking.",
}

// Check refuses each unsafe setting of env that allow does not name. An
// unknown name in allow is an error too, so a typo does not go unnoticed.
func Check(env *config.Environment, allow []string) hcl.Diagnostics {
	return check(env, allow, true)
}

// Never refuses every unsafe setting of env, for a command that allows
// none whatever --allow says (grade): its refusals neither advise
// --allow nor name the folder env was loaded from (grade's private copy
// of a hand-in, which means nothing to the student who reads them).
func Never(env *config.Environment) hcl.Diagnostics {
	return check(env, nil, false)
}

func check(env *config.Environment, allow []string, advise bool) hcl.Diagnostics {
	var diags hcl.Diagnostics
	allowed := map[string]bool{}
	for _, a := range allow {
		a = strings.TrimSpace(a)
		if !known(a) {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Unknown unsafe setting",
				Detail:   fmt.Sprintf("--allow %q names no setting; use one of %s.", a, strings.Join(Names, ", ")),
			})
			continue
		}
		allowed[a] = true
	}
	if env == nil {
		return diags
	}
	dir := resolve(env.Dir)
	refuse := func(name string, s *config.Service, what string, rng hcl.Range) {
		if allowed[name] {
			return
		}
		detail := fmt.Sprintf("Service %q %s. %s", s.Name, what, why[name])
		if advise {
			detail += fmt.Sprintf(" If you trust this lab, run again with --allow %s.", name)
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Unsafe setting refused",
			Detail:   detail,
			Subject:  subject(rng, s),
		})
	}
	for _, s := range env.Services {
		if s.Privileged {
			refuse(Privileged, s, "runs privileged (privileged = true)", s.AttrRanges["privileged"])
		}
		if s.NetworkMode == "host" {
			refuse(HostNetwork, s, `uses the host's network (network_mode = "host")`, s.AttrRanges["network_mode"])
		}
		for _, m := range s.Mounts {
			if m.Bind == "" {
				continue
			}
			rng := m.DeclRange
			if rng.Filename == "" {
				rng = s.AttrRanges["mount"]
			}
			if isDockerSocket(m.Bind) {
				refuse(DockerSocket, s, fmt.Sprintf("mounts the Docker socket %s", m.Bind), rng)
				continue
			}
			if !inside(dir, resolve(m.Bind)) {
				folder := "the environment folder " + env.Dir
				if !advise {
					folder = "the lab folder"
				}
				refuse(BindOutside, s, fmt.Sprintf("mounts %s, which is outside %s", m.Bind, folder), rng)
			}
		}
		if len(s.Devices) > 0 {
			refuse(Devices, s, fmt.Sprintf("uses host devices (%s)", strings.Join(s.Devices, ", ")), s.AttrRanges["devices"])
		}
		if extra := unsafeCaps(s.CapAdd); len(extra) > 0 {
			refuse(Capabilities, s, fmt.Sprintf("adds the capabilities %s", strings.Join(extra, ", ")), s.AttrRanges["cap_add"])
		}
	}
	return diags
}

func known(name string) bool {
	for _, n := range Names {
		if n == name {
			return true
		}
	}
	return false
}

func subject(rng hcl.Range, s *config.Service) *hcl.Range {
	if rng.Filename != "" {
		return rng.Ptr()
	}
	if s.DeclRange.Filename != "" {
		return s.DeclRange.Ptr()
	}
	return nil
}

func isDockerSocket(p string) bool {
	clean := filepath.Clean(p)
	if clean == "/var/run/docker.sock" || clean == "/run/docker.sock" || strings.HasSuffix(clean, "docker.sock") {
		return true
	}
	return strings.HasSuffix(resolve(p), "docker.sock")
}

// unsafeCaps returns the capabilities outside SafeCapabilities, normalised
// (upper case, without the CAP_ prefix), sorted.
func unsafeCaps(caps []string) []string {
	var out []string
	for _, c := range caps {
		n := strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(c)), "CAP_")
		safe := false
		for _, s := range SafeCapabilities {
			if n == s {
				safe = true
			}
		}
		if !safe {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// resolve makes p absolute and resolves symlinks in its longest existing
// prefix, so a link inside the folder that points out of it is caught and a
// path that does not exist yet is still judged by where it would be.
func resolve(p string) string {
	if p == "" {
		return ""
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	rest := ""
	cur := abs
	for {
		if r, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(r, rest)
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return abs
		}
		rest = filepath.Join(filepath.Base(cur), rest)
		cur = parent
	}
}

func inside(dir, p string) bool {
	if dir == "" {
		return false
	}
	rel, err := filepath.Rel(dir, p)
	if err != nil {
		return false
	}
	return rel == "." || (rel != ".." && !strings.HasPrefix(rel, ".."+string(os.PathSeparator)))
}
