package cli

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
)

// Doctor check outcomes.
const (
	doctorOK   = "ok"
	doctorInfo = "info"
	doctorWarn = "warn"
	doctorFail = "fail"
)

type doctorCheck struct {
	Status  string `json:"status"`
	Name    string `json:"name"`
	Message string `json:"message"`
}

type doctorReport struct {
	Engine   *engine.Info  `json:"engine,omitempty"`
	Instance string        `json:"instance,omitempty"`
	Checks   []doctorCheck `json:"checks"`
}

func (r *doctorReport) add(status, name, format string, args ...any) {
	r.Checks = append(r.Checks, doctorCheck{Status: status, Name: name, Message: fmt.Sprintf(format, args...)})
}

func doctorCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "doctor",
		Usage: "check that the engine answers and the environment can come up",
		Description: `Checks the container engine (reachable, server and API version, storage
driver, daemon address, free disk space of a local engine) and, when the
folder holds an environment, whether its images are present and its host
ports are free on this machine.

Exit code 3 when the engine does not answer, 1 when a check failed (a host
port taken by something else), 2 when the environment does not load.

Examples:
  proeftuin doctor
  proeftuin --dir labs/webshop doctor
  proeftuin --output json doctor`,
		Flags:  engineFlags(),
		Action: runDoctor,
	}
}

func runDoctor(c *ucli.Context) error {
	if c.NArg() > 0 {
		return exit(ExitInvalid, fmt.Errorf("doctor takes no arguments, got %q", c.Args().First()))
	}
	rep := &doctorReport{Checks: []doctorCheck{}}
	code := ExitOK

	eng, err := connect(c)
	if err != nil {
		rep.add(doctorFail, "engine", "%v", errors.Unwrap(err))
		return finishDoctor(c, rep, ExitEngine)
	}
	defer eng.Close()
	info, err := eng.Info(c.Context)
	if err != nil {
		rep.add(doctorFail, "engine", "%v", err)
		return finishDoctor(c, rep, ExitEngine)
	}
	rep.Engine = &info
	rep.add(doctorOK, "engine", "Docker %s (API %s) on %s/%s at %s", info.ServerVersion, info.APIVersion, info.OS, info.Arch, info.Host)
	rep.add(doctorOK, "storage", "storage driver %s", info.StorageDriver)
	if free, path, ok := localDiskFree(info.Host); ok {
		status := doctorOK
		if free < 2<<30 {
			status = doctorWarn
		}
		rep.add(status, "disk", "%s free in %s", humanBytes(free), path)
	}

	if !hasHCL(envDir(c)) {
		rep.add(doctorInfo, "environment", "no *.hcl files in %s: images and ports not checked", envDir(c))
		return finishDoctor(c, rep, code)
	}
	env, err := loadEnv(c, nil)
	if err != nil {
		rep.add(doctorFail, "environment", "the environment in %s does not load (see above)", envDir(c))
		return finishDoctor(c, rep, ExitInvalid)
	}
	instance := instanceName(c, env)
	rep.Instance = instance
	rep.add(doctorOK, "environment", "%s: %s, %s, %s", env.Name, plural(len(env.Services), "service", "services"),
		plural(len(env.Networks), "network", "networks"), plural(len(env.Volumes), "volume", "volumes"))

	if !doctorImages(c, eng, env, rep) {
		code = ExitFailed
	}
	own := ownPorts(c, eng, instance)
	for _, s := range env.Services {
		for _, p := range s.Ports {
			if p.Host == 0 {
				continue
			}
			if ok, msg := portFree(p, own); ok {
				rep.add(doctorOK, "port", "service %s: %s free", s.Name, msg)
			} else if msg != "" {
				rep.add(doctorFail, "port", "service %s: %s", s.Name, msg)
				code = ExitFailed
			}
		}
	}
	return finishDoctor(c, rep, code)
}

// doctorImages adds one line per image, naming the services that use
// it; false when an image is missing for good or cannot be looked up.
func doctorImages(c *ucli.Context, eng engine.Engine, env *config.Environment, rep *doctorReport) bool {
	ok := true
	var refs []string
	users := map[string][]*config.Service{}
	for _, s := range env.Services {
		if s.Build != nil {
			rep.add(doctorInfo, "image", "service %s: built from %s on up", s.Name, s.Build.Context)
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
		if _, err := eng.ImageID(c.Context, ref); err == nil {
			rep.add(doctorOK, "image", "%s present (%s)", ref, who)
		} else if errors.Is(err, engine.ErrNotFound) {
			if never {
				rep.add(doctorFail, "image", "%s missing and pull = \"never\" (%s)", ref, who)
				ok = false
			} else {
				rep.add(doctorWarn, "image", "%s missing; up will pull it, which needs a registry (%s)", ref, who)
			}
		} else {
			rep.add(doctorFail, "image", "%s: %v", ref, err)
			ok = false
		}
	}
	return ok
}

// ownPorts are host ports already published by this instance's containers:
// taken, but by us.
func ownPorts(c *ucli.Context, eng engine.Engine, instance string) map[string]string {
	own := map[string]string{}
	ctrs, err := eng.Containers(c.Context, engine.Instance(instance))
	if err != nil {
		return own
	}
	for _, ctr := range ctrs {
		d, err := eng.InspectContainer(c.Context, ctr.ID)
		if err != nil {
			continue
		}
		for _, p := range d.Ports {
			own[p.Protocol+"/"+strconv.Itoa(p.HostPort)] = ctr.Labels[engine.LabelService]
		}
	}
	return own
}

// portFree tries to listen where the port would be published.
func portFree(p *config.Port, own map[string]string) (bool, string) {
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

func finishDoctor(c *ucli.Context, rep *doctorReport, code int) error {
	if outputJSON(c) {
		if err := printJSON(c.App.Writer, rep); err != nil {
			return err
		}
	} else {
		writeDoctor(c.App.Writer, rep)
	}
	if code != ExitOK {
		return exit(code, nil)
	}
	return nil
}

func writeDoctor(w io.Writer, rep *doctorReport) {
	for _, ch := range rep.Checks {
		fmt.Fprintf(w, "%-4s  %-11s  %s\n", ch.Status, ch.Name, ch.Message)
	}
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

func humanBytes(n uint64) string {
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
