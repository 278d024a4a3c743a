package fault

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/proeftuin/proeftuin/internal/check"
	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/instance"
	"github.com/proeftuin/proeftuin/internal/runner"
)

// helper runs netem and block from a sidecar: the probe image (proeftuin's
// own static binary) in the service's network namespace, with NET_ADMIN
// in the sidecar only. It is labelled with the instance, LabelFault and
// engine.LabelProbe, so reset, down and the next up remove it; the
// change it made lives in the service's namespace until the service is
// recreated.
type helper struct {
	inst  *instance.Instance
	fault string
	probe *check.Runner
}

func newHelper(inst *instance.Instance, id, probeBinary string) runner.NetworkHelper {
	return &helper{inst: inst, fault: id, probe: &check.Runner{Engine: inst.Engine(), Instance: inst.Name(), ProbeBinary: probeBinary}}
}

func (h *helper) Netem(ctx context.Context, ctr engine.Container, a *config.FaultAction) error {
	return h.run(ctx, ctr, a.Service, "netem", "--delay", a.Delay.String(), "--jitter", a.Jitter.String(),
		"--loss", strconv.FormatFloat(a.Loss, 'f', -1, 64))
}

func (h *helper) Block(ctx context.Context, ctr engine.Container, a *config.FaultAction) error {
	return h.run(ctx, ctr, a.Service, "block", "--port", strconv.Itoa(a.Port), "--protocol", a.Protocol)
}

func (h *helper) run(ctx context.Context, ctr engine.Container, service, kind string, args ...string) error {
	ref, err := h.probe.Image(ctx)
	if err != nil {
		return err
	}
	eng := h.inst.Engine()
	var b [3]byte
	_, _ = rand.Read(b[:])
	id, err := eng.CreateContainer(ctx, engine.ContainerSpec{
		Name:    fmt.Sprintf("%s-fault-%s-%s", h.inst.Name(), service, hex.EncodeToString(b[:])),
		Image:   ref,
		Command: []string{check.BinaryPath, "probe", "serve"},
		Labels: map[string]string{
			engine.LabelInstance: h.inst.Name(),
			engine.LabelProbe:    "fault:" + service,
			LabelFault:           h.fault,
		},
		NetworkMode: "container:" + ctr.ID,
		CapAdd:      []string{"NET_ADMIN"},
	})
	if err != nil {
		return fmt.Errorf("create the %s helper of service %s: %w", kind, service, err)
	}
	if err := eng.StartContainer(ctx, id); err != nil {
		return fmt.Errorf("start the %s helper of service %s: %w", kind, service, err)
	}
	xctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	res, err := eng.Exec(xctx, id, engine.ExecSpec{Command: append([]string{check.BinaryPath, "probe", kind}, args...)})
	if err != nil {
		return fmt.Errorf("%s in service %s: %w", kind, service, err)
	}
	if res.ExitCode != 0 {
		return errors.New(strings.TrimSpace(string(res.Stderr)))
	}
	return nil
}
