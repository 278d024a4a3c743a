package bundle

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine/fake"
	"github.com/proeftuin/proeftuin/internal/planner"
)

// writeLab writes files (relative path -> content) into a new folder.
func writeLab(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "src")
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		mode := os.FileMode(0o644)
		if strings.HasSuffix(name, ".sh") {
			mode = 0o755
		}
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func load(t *testing.T, dir string) *config.Environment {
	t.Helper()
	env, diags := config.Load(config.Options{Dir: dir})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return env
}

const buildHCL = `environment "shop" {}
variable "base" {
  type    = string
  default = "proeftuin/debian:bookworm"
}
service "web" {
  image = "proeftuin/busybox:1"
}
service "db" {
  build {
    context = "images/db"
    args    = { BASE_IMAGE = var.base }
  }
}
`

const dbDockerfile = `# the database
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE} AS base
FROM base
COPY --from=proeftuin/busybox:1 /bin/busybox /bin/busybox
COPY entrypoint.sh /entrypoint.sh
`

func TestExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := writeLab(t, map[string]string{
		"main.hcl":                      buildHCL,
		"files/index.html":              "<h1>shop</h1>\n",
		"images/db/Dockerfile":          dbDockerfile,
		"images/db/entrypoint.sh":       "#!/bin/sh\nexec \"$@\"\n",
		".proeftuin/runs/1/result.json": "{}",
		".proeftuin/lock":               "",
		"empty/.keep":                   "",
	})
	env := load(t, src)
	builtTag := planner.BuildTag(env, env.Service("db"))
	if !strings.HasPrefix(builtTag, "proeftuin/shop-db:") || strings.HasSuffix(builtTag, ":latest") {
		t.Fatalf("built image tag %q is not a content tag", builtTag)
	}
	eng := fake.New()
	eng.SetImage("proeftuin/busybox:1", "sha256:busybox")
	eng.SetPullable("proeftuin/debian:bookworm", "sha256:debian")
	out := filepath.Join(src, "shop.tar.gz") // inside the lab: must not bundle itself

	res, err := Export(ctx, eng, env, ExportOptions{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Manifest
	if m.LabHash != env.Hash || m.Environment != "shop" || !m.ImagesIncluded {
		t.Errorf("manifest = %+v", m)
	}
	var refs []string
	for _, img := range m.Images {
		refs = append(refs, img.Kind+":"+img.Ref)
	}
	// busybox is both a base of db and web's image: listed once.
	wantRefs := []string{"base:proeftuin/busybox:1", "base:proeftuin/debian:bookworm", "built:" + builtTag}
	slices.Sort(refs)
	if !slices.Equal(refs, wantRefs) {
		t.Errorf("images = %v, want %v", refs, wantRefs)
	}
	if eng.Calls("PullImage") != 1 || eng.Calls("BuildImage") != 1 {
		t.Errorf("pulls %d, builds %d; want 1 and 1", eng.Calls("PullImage"), eng.Calls("BuildImage"))
	}
	var paths []string
	for _, e := range m.Entries {
		paths = append(paths, e.Path)
	}
	for _, p := range paths {
		if strings.Contains(p, ".proeftuin") || strings.HasSuffix(p, ".tar.gz") {
			t.Errorf("bundle holds %s", p)
		}
	}
	if !slices.Contains(paths, "lab/images/db/entrypoint.sh") || !slices.Contains(paths, ImagesEntry) {
		t.Errorf("entries = %v", paths)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(src, ".proeftuin-*")); len(leftovers) > 0 {
		t.Errorf("export left %v", leftovers)
	}

	// Import on another machine.
	other := fake.New()
	dest := filepath.Join(t.TempDir(), "class")
	ires, err := Import(ctx, other, out, ImportOptions{Target: filepath.Join(dest, "shop")})
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"proeftuin/busybox:1", "proeftuin/debian:bookworm", builtTag} {
		if _, err := other.ImageID(ctx, ref); err != nil {
			t.Errorf("image %s not loaded: %v", ref, err)
		}
	}
	got := tree(t, dest)
	want := []string{"shop", "shop/empty", "shop/empty/.keep", "shop/files", "shop/files/index.html", "shop/images", "shop/images/db", "shop/images/db/Dockerfile", "shop/images/db/entrypoint.sh", "shop/main.hcl"}
	if !slices.Equal(got, want) {
		t.Errorf("imported tree = %v\nwant %v", got, want)
	}
	if ires.Files != 5 {
		t.Errorf("files = %d, want 5", ires.Files)
	}
	info, err := os.Stat(filepath.Join(dest, "shop/images/db/entrypoint.sh"))
	if err != nil || info.Mode().Perm()&0o100 == 0 {
		t.Errorf("entrypoint.sh lost its execute bit: %v %v", info.Mode(), err)
	}
	if env2 := load(t, filepath.Join(dest, "shop")); env2.Hash != env.Hash {
		t.Errorf("imported lab hash %s, exported %s", env2.Hash, env.Hash)
	}

	// A second import into the same folder needs --force, and keeps
	// files the bundle does not have.
	_, err = Import(ctx, other, out, ImportOptions{Target: filepath.Join(dest, "shop")})
	if !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("second import: %v, want ErrNotEmpty", err)
	}
	os.WriteFile(filepath.Join(dest, "shop/notes.txt"), []byte("mine"), 0o644)
	os.WriteFile(filepath.Join(dest, "shop/main.hcl"), []byte("changed"), 0o644)
	if _, err := Import(ctx, other, out, ImportOptions{Target: filepath.Join(dest, "shop"), Force: true}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "shop/main.hcl")); string(b) != buildHCL {
		t.Errorf("--force did not restore main.hcl: %q", b)
	}
	if _, err := os.Stat(filepath.Join(dest, "shop/notes.txt")); err != nil {
		t.Errorf("--force removed a file the bundle does not have: %v", err)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dest, ".proeftuin-import-*")); len(leftovers) > 0 {
		t.Errorf("import left %v", leftovers)
	}
}

func TestImportDefaultTarget(t *testing.T) {
	m, parts := validParts()
	root := t.TempDir()
	archivePath := filepath.Join(root, "b.tar.gz")
	os.WriteFile(archivePath, archive(t, m, parts), 0o644)
	t.Chdir(root)
	eng := fake.New()
	eng.FailOn("LoadImages", "", errors.New("boom"))
	// The fake cannot load the hand-made images archive: nothing is
	// written and the staging folder goes away.
	if _, err := Import(context.Background(), eng, archivePath, ImportOptions{}); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("err = %v", err)
	}
	if got := tree(t, root); !slices.Equal(got, []string{"b.tar.gz"}) {
		t.Errorf("left behind: %v", got)
	}
	m.ImagesIncluded = false
	m.Entries = m.Entries[:3]
	os.WriteFile(archivePath, archive(t, m, parts[:3]), 0o644)
	res, err := Import(context.Background(), fake.New(), archivePath, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Dir != filepath.Join(root, "lab") || !slices.Equal(res.Missing, []string{"proeftuin/busybox:1"}) {
		t.Errorf("result = %+v", res)
	}
}

func TestExportRefusesLinkOutside(t *testing.T) {
	src := writeLab(t, map[string]string{"main.hcl": labHCL})
	outside := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(outside, []byte("secret"), 0o600)
	if err := os.Symlink(outside, filepath.Join(src, "secret")); err != nil {
		t.Fatal(err)
	}
	env := load(t, src)
	out := filepath.Join(t.TempDir(), "b.tar.gz")
	_, err := Export(context.Background(), nil, env, ExportOptions{Out: out, WithoutImages: true})
	if err == nil || !strings.Contains(err.Error(), "outside the environment folder") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a bundle was written")
	}
}

func TestExportStoresLinkedFile(t *testing.T) {
	src := writeLab(t, map[string]string{"main.hcl": labHCL, "files/a.txt": "A"})
	if err := os.Symlink("files/a.txt", filepath.Join(src, "b.txt")); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "b.tar.gz")
	if _, err := Export(context.Background(), nil, load(t, src), ExportOptions{Out: out, WithoutImages: true}); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "lab")
	if _, err := Import(context.Background(), nil, out, ImportOptions{Target: dest}); err != nil {
		t.Fatal(err)
	}
	info, err := os.Lstat(filepath.Join(dest, "b.txt"))
	if err != nil || !info.Mode().IsRegular() {
		t.Errorf("b.txt: %v %v, want a regular file", info, err)
	}
}

func TestBaseImages(t *testing.T) {
	df := `# syntax=docker/dockerfile:1
ARG REG=example.org
ARG TAG
FROM --platform=$BUILDPLATFORM golang:1.26 AS build
FROM ${REG}/base:${TAG:-1} \
    AS final
COPY --from=build /out /out
COPY --from=0 /x /x
COPY --from=nginx:1.27 /etc/nginx /etc/nginx
FROM scratch
FROM $UNKNOWN
FROM final
`
	refs, unresolved, err := BaseImages(bytes.NewReader([]byte(df)), map[string]string{"TAG": "7"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"golang:1.26", "example.org/base:7", "nginx:1.27"}
	if !slices.Equal(refs, want) {
		t.Errorf("refs = %v, want %v", refs, want)
	}
	if !slices.Equal(unresolved, []string{"$UNKNOWN"}) {
		t.Errorf("unresolved = %v", unresolved)
	}
}
