package fake

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/proeftuin/proeftuin/internal/engine"
)

func TestContainerLifecycle(t *testing.T) {
	ctx := context.Background()
	e := New()
	e.SetImage("busybox", "sha256:b")
	if _, err := e.CreateNetwork(ctx, engine.NetworkSpec{Name: "n", Subnet: "10.1.0.0/24"}); err != nil {
		t.Fatal(err)
	}
	spec := engine.ContainerSpec{Name: "c", Image: "busybox", Labels: map[string]string{"k": "v"},
		Networks: []engine.NetworkAttachment{{Network: "n", Aliases: []string{"c"}}}}
	id, err := e.CreateContainer(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.CreateContainer(ctx, spec); !errors.Is(err, engine.ErrConflict) {
		t.Errorf("taken name: %v", err)
	}
	states := []engine.ContainerState{}
	d, _ := e.InspectContainer(ctx, id)
	states = append(states, d.State)
	_ = e.StartContainer(ctx, id)
	d, _ = e.InspectContainer(ctx, "c")
	states = append(states, d.State)
	_ = e.StopContainer(ctx, id, 0)
	d, _ = e.InspectContainer(ctx, id)
	states = append(states, d.State)
	if got := fmt.Sprint(states); got != "[created running exited]" {
		t.Errorf("states %s", got)
	}
	if err := e.RemoveNetwork(ctx, "n"); err == nil {
		t.Error("removed a network with endpoints")
	}
	cs, _ := e.Containers(ctx, map[string]string{"k": ""})
	if len(cs) != 1 {
		t.Errorf("label filter with empty value: %v", cs)
	}
	if cs, _ := e.Containers(ctx, map[string]string{"k": "w"}); len(cs) != 0 {
		t.Errorf("label filter: %v", cs)
	}
	if err := e.RemoveContainer(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := e.RemoveContainer(ctx, id); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("second remove: %v", err)
	}
}

func TestNetworkOverlap(t *testing.T) {
	ctx := context.Background()
	e := New()
	e.AddNetwork(engine.Network{Name: "bridge", Subnets: []string{"172.17.0.0/16"}})
	if _, err := e.CreateNetwork(ctx, engine.NetworkSpec{Name: "a", Subnet: "172.17.5.0/24"}); !errors.Is(err, engine.ErrSubnetTaken) {
		t.Errorf("overlap: %v", err)
	}
	if _, err := e.CreateNetwork(ctx, engine.NetworkSpec{Name: "b"}); err != nil {
		t.Fatal(err)
	}
	ns, _ := e.Networks(ctx, nil)
	if len(ns) != 2 || ns[0].Name != "b" || ns[0].Subnets[0] != "172.18.0.0/16" {
		t.Errorf("networks %+v", ns)
	}
}

func TestFaultsCallsExecLogsCopy(t *testing.T) {
	ctx := context.Background()
	e := New()
	e.SetImage("i", "sha256:i")
	boom := errors.New("boom")
	e.FailOn("StartContainer", "bad", boom)
	good, _ := e.CreateContainer(ctx, engine.ContainerSpec{Name: "good", Image: "i"})
	bad, _ := e.CreateContainer(ctx, engine.ContainerSpec{Name: "bad", Image: "i"})
	if err := e.StartContainer(ctx, good); err != nil {
		t.Fatal(err)
	}
	if err := e.StartContainer(ctx, bad); !errors.Is(err, boom) {
		t.Errorf("fault: %v", err)
	}
	if e.Calls("StartContainer") != 2 || e.Calls("CreateContainer") != 2 {
		t.Errorf("calls %v", e.AllCalls())
	}
	e.SetExec("good", func(cmd []string, n int) (engine.ExecResult, error) {
		return engine.ExecResult{ExitCode: n, Stdout: []byte(strings.Join(cmd, " "))}, nil
	})
	r, _ := e.Exec(ctx, good, engine.ExecSpec{Command: []string{"echo", "hi"}})
	r2, _ := e.Exec(ctx, good, engine.ExecSpec{Command: []string{"x"}})
	if r.ExitCode != 1 || string(r.Stdout) != "echo hi" || r2.ExitCode != 2 {
		t.Errorf("exec %+v %+v", r, r2)
	}
	e.SetLogs("good", "a\nb\nc\n")
	rc, _ := e.Logs(ctx, good, engine.LogOptions{Tail: "2"})
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(rc)
	if buf.String() != "b\nc\n" {
		t.Errorf("logs %q", buf.String())
	}

	var tb bytes.Buffer
	tw := tar.NewWriter(&tb)
	_ = tw.WriteHeader(&tar.Header{Name: "etc/x.conf", Mode: 0o600, Size: 2, Uid: 5, Gid: 6, Typeflag: tar.TypeReg})
	_, _ = tw.Write([]byte("hi"))
	_ = tw.Close()
	if err := e.CopyTo(ctx, good, "/", &tb); err != nil {
		t.Fatal(err)
	}
	c, _ := e.Container("good")
	if f := c.Files["/etc/x.conf"]; string(f.Content) != "hi" || f.Mode != 0o600 || f.UID != 5 {
		t.Errorf("file %+v", f)
	}
	if d, err := e.InspectContainer(ctx, good); err != nil || !d.State.Running() || len(d.Networks) != len(d.Endpoints) {
		t.Errorf("detail %+v %v", d, err)
	}
}

func TestConcurrentUse(t *testing.T) {
	ctx := context.Background()
	e := New()
	e.SetImage("i", "sha256:i")
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id, err := e.CreateContainer(ctx, engine.ContainerSpec{Name: "c" + string(rune('A'+i%26)) + string(rune('a'+i/26)), Image: "i"})
			if err != nil {
				t.Error(err)
				return
			}
			_ = e.StartContainer(ctx, id)
			_, _ = e.Containers(ctx, nil)
		}()
	}
	wg.Wait()
	if len(e.StartOrder()) != 50 {
		t.Errorf("started %d", len(e.StartOrder()))
	}
}
