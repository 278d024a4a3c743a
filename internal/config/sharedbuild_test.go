package config

import "testing"

func TestImageWithBuildIsShared(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"main.hcl": envHeader + `
service "api" {
  image = "shop/app:1"
  build {
    context = "app"
  }
}
service "worker" {
  image = "shop/app:1"
  build {
    context = "app"
  }
}
service "cron" {
  image = "shop/app:1"
  pull  = "always"
}
service "other" {
  image = "shop/other:1"
  build {
    context = "other"
  }
}
`,
		"app/Dockerfile":   "FROM proeftuin/busybox:1\n",
		"other/Dockerfile": "FROM proeftuin/busybox:1\nRUN true\n",
	})
	env, diags := Load(Options{Dir: dir})
	if diags.HasErrors() {
		t.Fatalf("errors: %s", diagList(diags))
	}
	api, worker, cron := env.Service("api"), env.Service("worker"), env.Service("cron")
	if api.Build == nil || worker.Build != api.Build || cron.Build != api.Build || api.Build.Owner != "api" {
		t.Fatalf("builds not shared: api %p worker %p cron %p", api.Build, worker.Build, cron.Build)
	}
	if o := env.Service("other").Build; o == api.Build || o.Owner != "other" {
		t.Errorf("other shares a build it should not")
	}
	warned := false
	for _, d := range diags {
		warned = warned || d.Summary == "Pull setting of a built image"
	}
	if !warned {
		t.Errorf("no warning for cron's pull setting")
	}
}

func TestTwoBuildsForOneImage(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"main.hcl": envHeader + `
service "a" {
  image = "shop/app:1"
  build {
    context = "a"
  }
}
service "b" {
  image = "shop/app:1"
  build {
    context = "b"
  }
}
`,
		"a/Dockerfile": "FROM proeftuin/busybox:1\n",
		"b/Dockerfile": "FROM proeftuin/busybox:1\nRUN true\n",
	})
	_, diags := Load(Options{Dir: dir})
	wantError(t, diags, "Two builds for one image", `"shop/app:1"`)
}
