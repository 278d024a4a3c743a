// Package doctor checks that the engine answers and that an environment
// can come up on this machine: its images are present and its host ports
// free. Each check is one line of a Report.
package doctor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/conflict"
	"github.com/proeftuin/proeftuin/internal/engine"
)

// Check outcomes.
const (
	OK   = "ok"
	Info = "info"
	Warn = "warn"
	Fail = "fail"
)

// Check is one line of the report.
type Check struct {
	Status  string `json:"status"`
	Name    string `json:"name"`
	Message string `json:"message"`
}

// Report is what doctor found.
type Report struct {
	Engine   *engine.Info `json:"engine,omitempty"`
	Instance string       `json:"instance,omitempty"`
	Checks   []Check      `json:"checks"`
}

// Add appends a check.
func (r *Report) Add(status, name, format string, args ...any) {
	r.Checks = append(r.Checks, Check{Status: status, Name: name, Message: fmt.Sprintf(format, args...)})
}

// WriteText writes one line per check.
func (r *Report) WriteText(w io.Writer) {
	for _, ch := range r.Checks {
		fmt.Fprintf(w, "%-4s  %-11s  %s\n", ch.Status, ch.Name, ch.Message)
	}
}

// Engine checks that eng answers and reports its version, storage
// driver and (for a local engine) free disk; false when it does not
// answer.
func Engine(ctx context.Context, eng engine.Engine, rep *Report) bool {
	info, err := eng.Info(ctx)
	if err != nil {
		rep.Add(Fail, "engine", "%v", err)
		return false
	}
	rep.Engine = &info
	rep.Add(OK, "engine", "Docker %s (API %s) on %s/%s at %s", info.ServerVersion, info.APIVersion, info.OS, info.Arch, info.Host)
	rep.Add(OK, "storage", "storage driver %s", info.StorageDriver)
	if free, path, ok := localDiskFree(info.Host); ok {
		status := OK
		if free < 2<<30 {
			status = Warn
		}
		rep.Add(status, "disk", "%s free in %s", HumanBytes(free), path)
	}
	return true
}

// Environment checks env's images and host ports for instance; false
// when a check failed.
func Environment(ctx context.Context, eng engine.Engine, env *config.Environment, instance string, rep *Report) bool {
	rep.Instance = instance
	rep.Add(OK, "environment", "%s: %s, %s, %s", env.Name, plural(len(env.Services), "service", "services"),
		plural(len(env.Networks), "network", "networks"), plural(len(env.Volumes), "volume", "volumes"))
	ok := images(ctx, eng, env, rep)
	found, err := conflict.Find(ctx, eng, instance, env)
	if err != nil {
		rep.Add(Fail, "conflicts", "cannot list the engine's networks and containers: %v", err)
		ok = false
	}
	heldPorts := map[string]bool{}
	for _, c := range found {
		rep.Add(Fail, c.Kind.String(), "%s", c)
		heldPorts[c.What] = true
		ok = false
	}
	own := ownPorts(ctx, eng, instance)
	for _, s := range env.Services {
		for _, p := range s.Ports {
			if p.Host == 0 {
				continue
			}
			if free, msg := PortFree(p, own); free {
				rep.Add(OK, "port", "service %s: %s free", s.Name, msg)
			} else if msg != "" && !heldPorts[conflict.PortText(p)] {
				// Taken, but not by a container: a process on this host.
				rep.Add(Fail, "port", "service %s: %s", s.Name, msg)
				ok = false
			}
		}
	}
	return ok
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// images adds one line per image, naming the services that use
// it; false when an image is missing for good or cannot be looked up.
func images(ctx context.Context, eng engine.Engine, env *config.Environment, rep *Report) bool {
	ok := true
	var refs []string
	users := map[string][]*config.Service{}
	for _, s := range env.Services {
		if s.Build != nil {
			rep.Add(Info, "image", "service %s: built from %s on up", s.Name, s.Build.Context)
			continue
		}
		if users[s.Image] == nil {
			refs = append(refs, s.Image)
		}
		users[s.Image] = append(users[s.Image], s)
	}
	for _, ref := range refs {
		var names []string
		never := false
		for _, s := range users[ref] {
			names = append(names, s.Name)
			never = never || s.Pull == "never"
		}
		who := plural(len(names), "service", "services") + ": " + strings.Join(names, ", ")
		if _, err := eng.ImageID(ctx, ref); err == nil {
			rep.Add(OK, "image", "%s present (%s)", ref, who)
		} else if errors.Is(err, engine.ErrNotFound) {
			if never {
				rep.Add(Fail, "image", "%s missing and pull = \"never\" (%s)", ref, who)
				ok = false
			} else {
				rep.Add(Warn, "image", "%s missing; up will pull it, which needs a registry (%s)", ref, who)
			}
		} else {
			rep.Add(Fail, "image", "%s: %v", ref, err)
			ok = false
		}
	}
	return ok
}

// ownPorts are host ports already published by this instance's containers:
// taken, but by us.
func ownPorts(ctx context.Context, eng engine.Engine, instance string) map[string]string {
	own := map[string]string{}
	ctrs, err := eng.Containers(ctx, engine.Instance(instance))
	if err != nil {
		return own
	}
	for _, ctr := range ctrs {
		d, err := eng.InspectContainer(ctx, ctr.ID)
		if err != nil {
			continue
		}
		for _, p := range d.Ports {
			own[p.Protocol+"/"+strconv.Itoa(p.HostPort)] = ctr.Labels[engine.LabelService]
		}
	}
	return own
}

// PortFree tries to listen where the port would be published.
func PortFree(p *config.Port, own map[string]string) (bool, string) {
	proto := p.Protocol
	if proto == "" {
		proto = "tcp"
	}
	ip := p.HostIP
	if ip == "" {
		ip = "127.0.0.1"
	}
	addr := net.JoinHostPort(ip, strconv.Itoa(p.Host))
	desc := fmt.Sprintf("%s/%s", addr, proto)
	if svc, ok := own[proto+"/"+strconv.Itoa(p.Host)]; ok {
		return true, desc + " (published by this instance's service " + svc + ")"
	}
	var err error
	if proto == "udp" {
		var pc net.PacketConn
		if pc, err = net.ListenPacket("udp", addr); err == nil {
			pc.Close()
		}
	} else {
		var l net.Listener
		if l, err = net.Listen("tcp", addr); err == nil {
			l.Close()
		}
	}
	if err != nil {
		return false, fmt.Sprintf("%s is taken (%v)", desc, errors.Unwrap(err))
	}
	return true, desc
}

// localDiskFree reports the free space of the default Docker root when the
// engine runs on this machine (a unix socket); false when not cheap to know.
func localDiskFree(host string) (uint64, string, bool) {
	u, err := url.Parse(host)
	if err != nil || u.Scheme != "unix" {
		return 0, "", false
	}
	return diskFree("/var/lib/docker")
}

// HumanBytes writes n in KiB, MiB, GiB, ...
func HumanBytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
