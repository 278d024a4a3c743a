package e2e

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestComposeParity brings up a lab with an env file and two secrets on
// the real engine: the env file's values reach the environment (env wins),
// each secret is the file /run/secrets/<name> with its mode and owner, and
// neither secret value shows in docker inspect, the plan, the state or a
// report.
func TestComposeParity(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "compose")
	inst := newInstance(t, "")
	secrets := []string{"Wachtwoord-Uit-Variabele-4417", "Api-Sleutel-Uit-Bestand-9921"}
	var outputs []result
	outputs = append(outputs, mustRun(t, dir, "--name", inst, "plan"), mustRun(t, dir, "--name", inst, "up"))
	rdir := filepath.Join(t.TempDir(), "run")
	outputs = append(outputs, mustRun(t, dir, "--name", inst, "check", "--report-dir", rdir, "--format", "json,md,text"))

	app, ok := containers(t, inst)["app"]
	if !ok {
		t.Fatal("no app container")
	}
	stat, err := exec.Command("docker", "exec", app.ID, "stat", "-c", "%a %u:%g %n", "/run/secrets/db_password", "/run/secrets/api_key").CombinedOutput()
	if err != nil {
		t.Fatalf("stat: %v\n%s", err, stat)
	}
	if want := "400 0:0 /run/secrets/db_password\n440 0:100 /run/secrets/api_key\n"; string(stat) != want {
		t.Errorf("secret files:\n%s\nwant\n%s", stat, want)
	}
	cat, err := exec.Command("docker", "exec", app.ID, "cat", "/run/secrets/db_password").CombinedOutput()
	if err != nil || string(cat) != secrets[0] {
		t.Errorf("db_password file = %q (%v), want the variable's value", cat, err)
	}
	env, err := exec.Command("docker", "exec", app.ID, "env").CombinedOutput()
	if err != nil || !strings.Contains(string(env), "GREETING=hallo wereld") || !strings.Contains(string(env), "MODE=lab") {
		t.Errorf("environment lacks the env file's values (env winning):\n%s", env)
	}
	inspect, err := exec.Command("docker", "inspect", app.ID).CombinedOutput()
	if err != nil {
		t.Fatalf("inspect: %v", err)
	}
	for _, s := range secrets {
		if strings.Contains(string(inspect), s) || strings.Contains(string(env), s) {
			t.Errorf("secret %s shows in docker inspect or the environment", s)
		}
		for _, o := range outputs {
			if strings.Contains(o.Stdout+o.Stderr, s) {
				t.Errorf("secret %s shows in output:\n%s", s, o)
			}
		}
	}
	files := 0
	for _, root := range []string{rdir, filepath.Join(dir, ".proeftuin")} {
		_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			files++
			data, _ := os.ReadFile(path)
			for _, s := range secrets {
				if strings.Contains(string(data), s) {
					t.Errorf("%s holds secret %s", path, s)
				}
			}
			return nil
		})
	}
	if files < 3 {
		t.Errorf("only %d state and report files searched", files)
	}
}

// TestImportComposeUp imports a compose sample (env file, secret, one
// build shared by two services, depends_on conditions) and brings it up
// on the real engine: migrate ran to its end before api started, both run
// the one built image, the secret and the env file arrived.
func TestImportComposeUp(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "composeimport")
	r := mustRun(t, dir, "import", "compose", "compose.yaml")
	if strings.Contains(r.Stdout, "not carried") {
		t.Errorf("import left keys out:\n%s", r.Stdout)
	}
	mustRun(t, dir, "validate")
	// Registered first, so it runs after the instance is down.
	t.Cleanup(func() { removeBuiltImages(t, "proeftuin/e2eimport-") })
	inst := newInstance(t, "")
	out := mustRun(t, dir, "--name", inst, "up")
	if strings.Contains(out.Stdout+out.Stderr, "Import-Geheim-5519") {
		t.Errorf("up shows the secret:\n%s", out)
	}
	cs := containers(t, inst)
	api, migrate, db := cs["api"], cs["migrate"], cs["db"]
	if api.ID == "" || migrate.ID == "" || db.ID == "" {
		t.Fatalf("containers: %v", cs)
	}
	if api.Image != migrate.Image || !strings.HasPrefix(api.Image, "proeftuin/e2eimport-") {
		t.Errorf("api runs %s, migrate %s: want the one shared build", api.Image, migrate.Image)
	}
	dm, err := eng.InspectContainer(t.Context(), migrate.ID)
	if err != nil || !dm.State.Stopped() || dm.ExitCode != 0 {
		t.Errorf("migrate: state %s exit %d (%v), want exited 0", dm.State, dm.ExitCode, err)
	}
	da, err := eng.InspectContainer(t.Context(), api.ID)
	if err != nil || !da.State.Running() {
		t.Fatalf("api not running: %v %v", da.State, err)
	}
	if !da.StartedAt.After(dm.StartedAt) {
		t.Errorf("api started at %s, not after migrate (%s)", da.StartedAt, dm.StartedAt)
	}
	if b, err := exec.Command("docker", "exec", api.ID, "cat", "/built").CombinedOutput(); err != nil || string(b) != "built\n" {
		t.Errorf("api /built = %q (%v)", b, err)
	}
	if b, err := exec.Command("docker", "exec", db.ID, "sh", "-c", "stat -c %a /run/secrets/db_password; echo $DB_NAME").CombinedOutput(); err != nil || string(b) != "400\nwinkel\n" {
		t.Errorf("db secret mode and env file = %q (%v)", b, err)
	}
	logs := mustRun(t, dir, "--name", inst, "logs", "migrate")
	if !strings.Contains(logs.Stdout, "migrated") {
		t.Errorf("migrate's logs: %s", logs)
	}
}

// removeBuiltImages removes the images a test built, by tag prefix.
func removeBuiltImages(t *testing.T, prefix string) {
	out, err := exec.Command("docker", "images", "--format", "{{.Repository}}:{{.Tag}}").Output()
	if err != nil {
		t.Logf("list images: %v", err)
		return
	}
	for _, ref := range strings.Fields(string(out)) {
		if strings.HasPrefix(ref, prefix) {
			if b, err := exec.Command("docker", "rmi", "-f", ref).CombinedOutput(); err != nil {
				t.Logf("remove %s: %v %s", ref, err, b)
			}
		}
	}
}
