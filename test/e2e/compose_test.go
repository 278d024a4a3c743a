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
