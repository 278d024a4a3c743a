package apply

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
)

// TestDependsOnStarted: web depends on api with "started", and api only
// becomes ready once web runs. With the default "ready" this could never
// come up; with "started" it does.
func TestDependsOnStarted(t *testing.T) {
	eng := newEngine(t)
	eng.SetLogs(inst+"-api", "starting\n")
	eng.OnStart(func(name string) {
		if name == inst+"-web" {
			eng.SetLogs(inst+"-api", "starting\nlistening on :8081\n")
		}
	})
	env := shop()
	env.Service("web").DependCondition = map[string]string{"api": config.DependStarted}
	if _, err := up(t, context.Background(), eng, env, Options{WaitTimeout: 5 * time.Second}); err != nil {
		t.Fatalf("up: %v", err)
	}

	// The control: with "ready" web waits for api, which waits for web.
	eng = newEngine(t)
	eng.SetLogs(inst+"-api", "starting\n")
	_, err := up(t, context.Background(), eng, shop(), Options{WaitTimeout: 300 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "api") {
		t.Fatalf("up with the default condition: %v, want api not ready", err)
	}
}

// TestDependsOnCompleted: worker waits until db has exited with 0; db
// exiting with 1 fails the up and worker never starts.
func TestDependsOnCompleted(t *testing.T) {
	for _, code := range []int{0, 1} {
		eng := newEngine(t)
		eng.OnStart(func(name string) {
			if name == inst+"-db" {
				go func() {
					time.Sleep(100 * time.Millisecond)
					eng.SetState(inst+"-db", engine.StateExited, code)
				}()
			}
		})
		env := shop()
		env.Service("worker").DependCondition = map[string]string{"db": config.DependCompleted}
		env.Service("api").DependsOn = nil
		_, err := up(t, context.Background(), eng, env, Options{WaitTimeout: 5 * time.Second})
		order := strings.Join(eng.StartOrder(), " ")
		if code == 0 {
			if err != nil {
				t.Fatalf("up: %v", err)
			}
			if strings.Index(order, inst+"-worker") < strings.Index(order, inst+"-db") {
				t.Errorf("start order %s: worker before db", order)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), "exited with code 1") {
			t.Errorf("up with db exiting 1: %v", err)
		}
		if strings.Contains(order, inst+"-worker") {
			t.Errorf("worker started although db failed: %s", order)
		}
	}
}
