package runner

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/testenv"
)

// The kill fault on a container's main process: the kernel drops a
// signal sent from inside the container to PID 1 unless PID 1 catches
// it, so "kill httpd" on `httpd -f` used to succeed and break nothing.
// Now it fails and says why; a process that is not PID 1 is still
// killed.
func TestKillScriptMainProcess(t *testing.T) {
	eng := testenv.Engine(t)
	img := testenv.Image(t, eng, testenv.Busybox)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	start := func(name string, cmd ...string) string {
		t.Helper()
		id, err := eng.CreateContainer(ctx, engine.ContainerSpec{Name: name, Image: img, Command: cmd, StopTimeout: new(int),
			Labels: map[string]string{"proeftuin.test": "kill-script"}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { eng.RemoveContainer(context.Background(), id) })
		if err := eng.StartContainer(ctx, id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	process := "httpd"
	kill := func(id, signal string) engine.ExecResult {
		t.Helper()
		res, err := eng.Exec(ctx, id, engine.ExecSpec{Command: []string{"sh", "-c", killScript, "proeftuin", process, signal, strconv.Itoa(signalNumbers[signal])}, User: "0"})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	main := start("kill-script-main-"+strings.ToLower(t.Name()[len(t.Name())-4:]), "httpd", "-f", "-p", "8080")
	for _, sig := range []string{"KILL", "TERM"} {
		res := kill(main, sig)
		if res.ExitCode != 3 || !strings.Contains(string(res.Stderr), "main process (PID 1)") {
			t.Errorf("kill -%s of PID 1: exit %d, stderr %q; want exit 3 saying it is the main process", sig, res.ExitCode, res.Stderr)
		}
	}
	child := start("kill-script-child-"+strings.ToLower(t.Name()[len(t.Name())-4:]), "sh", "-c", "httpd -p 8080; exec sleep 600")
	answers := func() bool {
		res, err := eng.Exec(ctx, child, engine.ExecSpec{Command: []string{"sh", "-c", "nc -w 2 127.0.0.1 8080 </dev/null"}})
		return err == nil && res.ExitCode == 0
	}
	time.Sleep(300 * time.Millisecond)
	if !answers() {
		t.Fatal("the child httpd does not answer before the kill")
	}
	if res := kill(child, "TERM"); res.ExitCode != 0 {
		t.Fatalf("kill of a child httpd: exit %d, stderr %q", res.ExitCode, res.Stderr)
	}
	time.Sleep(300 * time.Millisecond)
	// httpd is a zombie now (sleep does not reap it): it no longer answers.
	if answers() {
		t.Error("httpd still answers after the kill")
	}
	// A main process that catches the signal gets it, in dash too
	// (Debian's sh, whose kill -l knows no names): bash traps HUP.
	img = testenv.Image(t, eng, testenv.Debian)
	trapper := start("kill-script-trap-"+strings.ToLower(t.Name()[len(t.Name())-4:]), "bash", "-c", "trap 'echo got HUP' HUP; while :; do sleep 1; done")
	time.Sleep(300 * time.Millisecond)
	process = "bash"
	if res := kill(trapper, "HUP"); res.ExitCode != 0 {
		t.Errorf("kill -HUP of a PID 1 that traps it: exit %d, stderr %q", res.ExitCode, res.Stderr)
	}
}
