package apply

import (
	"testing"

	"github.com/proeftuin/proeftuin/internal/planner"
)

// TestSharedBuildBuiltOnce: services that share one build (image together
// with build) cause one build, and all run its image.
func TestSharedBuildBuiltOnce(t *testing.T) {
	eng := newEngine(t)
	env := shop()
	db := env.Service("db")
	db.Build.Owner = "db"
	worker := env.Service("worker")
	worker.Image, worker.Build = "shop/db", db.Build
	db.Image = "shop/db"
	mustUp(t, eng, env)
	if n := eng.Calls("BuildImage"); n != 1 {
		t.Errorf("%d builds, want 1", n)
	}
	if a, b := planner.ImageRef(env, db), planner.ImageRef(env, worker); a != b {
		t.Errorf("db runs %s, worker %s: want one image", a, b)
	}
	cs, err := eng.Containers(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	images := map[string]string{}
	for _, c := range cs {
		images[c.Name] = c.Image
	}
	if images[inst+"-db"] == "" || images[inst+"-db"] != images[inst+"-worker"] {
		t.Errorf("containers run %v; db and worker should share an image", images)
	}
}
