package apply

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/planner"
)

// PortTakenError says a host port a service publishes is taken on the
// engine's host; up checks before anything changes rather than let the
// engine refuse the container halfway.
type PortTakenError struct {
	Service string
	Addr    string // ip:port/proto
	Err     error
	Decl    string // file:line of the port
}

func (e *PortTakenError) Error() string {
	msg := fmt.Sprintf("service %s: host port %s is taken (%v); nothing was changed. Stop what uses it, or publish another port", e.Service, e.Addr, e.Err)
	if e.Decl != "" {
		msg += " (" + e.Decl + ")"
	}
	return msg
}

// Is makes the error an engine.ErrPortTaken, as the engine's own refusal
// would be.
func (e *PortTakenError) Is(target error) bool { return target == engine.ErrPortTaken }

func (e *PortTakenError) Unwrap() error { return e.Err }

// localEngine reports whether the engine runs on this machine (a unix
// socket or a named pipe), so a port free here is free for it.
func (r *run) localEngine() bool {
	h, ok := r.eng.(interface{ Host() string })
	if !ok {
		return false
	}
	host := h.Host()
	return strings.HasPrefix(host, "unix://") || strings.HasPrefix(host, "npipe://")
}

// checkPorts tries every fixed host port of the services the plan creates
// or recreates, as `doctor` does, when the engine is local. Ports the
// instance's own containers publish now are left out: they are freed when
// those containers go.
func (r *run) checkPorts(ctx context.Context, env *config.Environment, plan *planner.Plan, actual *planner.Actual) error {
	if !r.localEngine() {
		return nil
	}
	var todo []*config.Service
	for _, op := range plan.Operations {
		if op.Resource == planner.ResService && (op.Kind == planner.Create || op.Kind == planner.Recreate) {
			if s := env.Service(op.Name); s != nil {
				for _, p := range s.Ports {
					if p.Host != 0 {
						todo = append(todo, s)
						break
					}
				}
			}
		}
	}
	if len(todo) == 0 {
		return nil
	}
	own := map[string]bool{}
	for _, c := range actual.Containers {
		d, err := r.eng.InspectContainer(ctx, c.ID)
		if err != nil {
			continue
		}
		for _, p := range d.Ports {
			own[p.Protocol+"/"+strconv.Itoa(p.HostPort)] = true
		}
	}
	var errs []error
	for _, s := range todo {
		for _, p := range s.Ports {
			if p.Host == 0 {
				continue
			}
			proto := p.Protocol
			if proto == "" {
				proto = "tcp"
			}
			if own[proto+"/"+strconv.Itoa(p.Host)] {
				continue
			}
			if err := tryListen(proto, p.HostIP, p.Host); err != nil {
				decl := ""
				if p.DeclRange.Filename != "" {
					decl = fmt.Sprintf("%s:%d", p.DeclRange.Filename, p.DeclRange.Start.Line)
				}
				ip := p.HostIP
				if ip == "" {
					ip = "127.0.0.1"
				}
				errs = append(errs, &PortTakenError{Service: s.Name, Addr: net.JoinHostPort(ip, strconv.Itoa(p.Host)) + "/" + proto, Err: err, Decl: decl})
			}
		}
	}
	return errors.Join(errs...)
}

// tryListen listens where a port would be published and lets go at once.
func tryListen(proto, ip string, port int) error {
	if ip == "" {
		ip = "127.0.0.1"
	}
	addr := net.JoinHostPort(ip, strconv.Itoa(port))
	if proto == "udp" {
		pc, err := net.ListenPacket("udp", addr)
		if err != nil {
			return unwrapOp(err)
		}
		return pc.Close()
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return unwrapOp(err)
	}
	return l.Close()
}

func unwrapOp(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err
	}
	return err
}
