package runner

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/planner"
	"github.com/proeftuin/proeftuin/internal/report"
)

// The actions only a fault's inject and solution take. kill, chmod,
// chown and fill run a POSIX shell in the service (every lab image has
// one); disconnect and connect go through the engine; netem and block
// need a helper sidecar (NetworkHelper), so the service needs neither the
// tool nor the capability.

// killScript signals every process whose name (comm) is $1 with signal
// $2 (number $3), using shell built-ins only; it fails when none runs. The kernel
// drops a signal sent from inside the container to its main process
// (PID 1) unless that process catches it (SigCgt), and never delivers
// KILL to it: kill succeeds and nothing happens. So PID 1 counts only
// when it catches the signal, and when it was the only match the script
// fails and says why, rather than "break" nothing.
const killScript = `s=$3; n=0; one=0; ` +
	`for p in /proc/[0-9]*; do read -r c < "$p/comm" 2>/dev/null || continue; ` +
	`[ "$c" = "$1" ] || continue; ` +
	`if [ "${p#/proc/}" = 1 ]; then m=0; while read -r k v; do [ "$k" = SigCgt: ] && m=$v; done < /proc/1/status; ` +
	`[ $(( (0x$m >> (s - 1)) & 1 )) = 1 ] || { one=1; continue; }; fi; ` +
	`kill -s "$2" "${p#/proc/}" 2>/dev/null && n=$((n+1)); done; ` +
	`[ "$n" -gt 0 ] || { [ "$one" = 1 ] && { echo "$1 is the container's main process (PID 1) and does not catch SIG$2, so a signal from inside the container does not reach it: stop the service instead" >&2; exit 3; }; ` +
	`echo "no process named $1 runs" >&2; exit 3; }`

// signalNumbers are the Linux numbers of the signals kill may send (the
// shells of images disagree on 'kill -l NAME': dash does not know it).
var signalNumbers = map[string]int{"HUP": 1, "INT": 2, "QUIT": 3, "KILL": 9, "USR1": 10, "USR2": 12, "TERM": 15, "STOP": 19}

// NetworkHelper changes a service's network from a sidecar that shares
// its network namespace: netem (delay, jitter, loss) and block (drop a
// port). Options.NetworkHelper sets it; without one these actions fail.
type NetworkHelper interface {
	Netem(ctx context.Context, ctr engine.Container, a *config.FaultAction) error
	Block(ctx context.Context, ctr engine.Container, a *config.FaultAction) error
}

func (r *run) faultAction(ctx context.Context, a *config.Action, ra *report.Action) error {
	f := a.Fault
	if f == nil {
		return fmt.Errorf("%s action without settings", a.Kind)
	}
	c, err := r.container(ctx, f.Service, a.Kind != "connect" && a.Kind != "disconnect")
	if err != nil {
		return err
	}
	switch a.Kind {
	case "kill":
		return r.shell(ctx, c, ra, killScript, f.Process, f.Signal, strconv.Itoa(signalNumbers[f.Signal]))
	case "chmod":
		return r.shell(ctx, c, ra, `chmod "$1" "$2"`, strconv.FormatUint(uint64(f.Mode), 8), f.Path)
	case "chown":
		return r.shell(ctx, c, ra, `chown "$1" "$2"`, f.Owner, f.Path)
	case "fill":
		kib := (f.Size + 1023) / 1024
		return r.shell(ctx, c, ra, `dd if=/dev/zero of="$1" bs=1024 count="$2" 2>&1 || exit 0`, f.Path, strconv.FormatInt(kib, 10))
	case "disconnect", "connect":
		return r.attach(ctx, c, a.Kind, f)
	case "netem", "block":
		if r.opts.NetworkHelper == nil {
			return fmt.Errorf("%s needs the network helper, which this command does not provide", a.Kind)
		}
		r.lookup.Forget()
		if a.Kind == "netem" {
			return r.opts.NetworkHelper.Netem(ctx, c, f)
		}
		return r.opts.NetworkHelper.Block(ctx, c, f)
	}
	return fmt.Errorf("unknown action %q", a.Kind)
}

// shell runs script as root in the container with args as $1, $2, ...
func (r *run) shell(ctx context.Context, c engine.Container, ra *report.Action, script string, args ...string) error {
	cmd := append([]string{"sh", "-c", script, "proeftuin"}, args...)
	res, err := r.eng.Exec(ctx, c.ID, engine.ExecSpec{Command: cmd, User: "0", OutputLimit: OutputLimit})
	ra.Stdout, ra.Stderr = keptOutput(res.Stdout, res.Truncated, r.secrets), keptOutput(res.Stderr, res.Truncated, r.secrets)
	if err != nil {
		return err
	}
	code := res.ExitCode
	ra.ExitCode = &code
	if code != 0 {
		return failf("%s failed (exit code %d): %s", ra.Kind, code, firstLine(string(res.Stderr)))
	}
	return nil
}

// attach disconnects the container from a network of the design, or
// connects it again with the design's address and aliases.
func (r *run) attach(ctx context.Context, c engine.Container, kind string, f *config.FaultAction) error {
	na, ok := r.eng.(engine.NetworkAttacher)
	if !ok {
		return errors.New("this engine cannot connect or disconnect a running container")
	}
	name := planner.EngineName(r.opts.Instance, f.Network)
	defer r.lookup.Forget()
	if kind == "disconnect" {
		return na.DisconnectNetwork(ctx, c.ID, name)
	}
	att := engine.NetworkAttachment{Network: name, Aliases: []string{f.Service}}
	if s := r.env.Service(f.Service); s != nil {
		for _, sn := range s.Networks {
			if sn.Network == f.Network {
				att.IPv4Address = sn.IPv4Address
				att.Aliases = append(att.Aliases, sn.Aliases...)
			}
		}
	}
	return na.ConnectNetwork(ctx, c.ID, att)
}

// DescribeFaultAction says what a fault action does (report, fault list).
func DescribeFaultAction(a *config.Action) string {
	f := a.Fault
	switch a.Kind {
	case "kill":
		return fmt.Sprintf("kill -%s %s", f.Signal, f.Process)
	case "chmod":
		return fmt.Sprintf("chmod %o %s", f.Mode, f.Path)
	case "chown":
		return fmt.Sprintf("chown %s %s", f.Owner, f.Path)
	case "fill":
		return fmt.Sprintf("fill %s with %d bytes", f.Path, f.Size)
	case "disconnect", "connect":
		return fmt.Sprintf("%s network %s", a.Kind, f.Network)
	case "netem":
		return fmt.Sprintf("netem delay %s jitter %s loss %g%%", f.Delay, f.Jitter, f.Loss)
	case "block":
		return fmt.Sprintf("block %s/%d", f.Protocol, f.Port)
	}
	return a.Kind
}
