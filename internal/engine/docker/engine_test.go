package docker

import (
	"archive/tar"
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/proeftuin/proeftuin/internal/engine"
)

func TestUnreachableEngine(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "nobody.sock")
	_, err := newDocker(context.Background(), Options{Host: "unix://" + sock, PingTimeout: 2 * time.Second}, environ{})
	if err == nil {
		t.Fatal("no error for a daemon that is not there")
	}
	if !errors.Is(err, ErrUnreachable) {
		t.Errorf("error does not wrap ErrUnreachable: %v", err)
	}
	t.Log(err)
	for _, want := range []string{"does not answer at unix://" + sock, "Docker is running", "DOCKER_HOST"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

func TestInfo(t *testing.T) {
	t.Parallel()
	d := requireEngine(t)
	info, err := d.Info(testContext(t))
	if err != nil {
		t.Fatal(err)
	}
	if info.ServerVersion == "" || info.APIVersion == "" || info.OS == "" || info.Arch == "" || info.StorageDriver == "" || info.Host == "" {
		t.Errorf("incomplete info: %+v", info)
	}
	t.Logf("engine: %+v", info)
}

func TestNetworkLifecycle(t *testing.T) {
	t.Parallel()
	d := requireEngine(t)
	ctx := testContext(t)
	name := testName(t, "net")
	id, prefix := createSubnetNetwork(t, d, engine.NetworkSpec{
		Name: name, Internal: true, Labels: labels(engine.LabelNetwork, "back"),
	})

	nets, err := d.Networks(ctx, map[string]string{testLabel: runID, engine.LabelNetwork: "back"})
	if err != nil {
		t.Fatal(err)
	}
	if len(nets) != 1 || nets[0].ID != id || nets[0].Name != name || !nets[0].Internal ||
		!slices.Equal(nets[0].Subnets, []string{prefix + "0/24"}) || nets[0].Labels[engine.LabelNetwork] != "back" {
		t.Fatalf("Networks = %+v", nets)
	}

	_, err = d.CreateNetwork(ctx, engine.NetworkSpec{Name: name, Labels: labels()})
	if !errors.Is(err, engine.ErrConflict) {
		t.Errorf("duplicate network: error %v, want ErrConflict", err)
	}

	if err := d.RemoveNetwork(ctx, id); err != nil {
		t.Fatal(err)
	}
	err = d.RemoveNetwork(ctx, id)
	if !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("removing a removed network: error %v, want ErrNotFound", err)
	}
	if err != nil && !strings.Contains(err.Error(), "remove network "+id) {
		t.Errorf("error lacks context: %v", err)
	}
}

func TestNetworkWithoutSubnet(t *testing.T) {
	t.Parallel()
	d := requireEngine(t)
	name := testName(t, "net")
	id := createNetwork(t, d, engine.NetworkSpec{Name: name, Labels: labels()})
	nets, err := d.Networks(testContext(t), map[string]string{testLabel: runID})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(nets, func(n engine.Network) bool { return n.ID == id })
	if i < 0 || nets[i].Internal || len(nets[i].Subnets) != 1 {
		t.Fatalf("Networks = %+v", nets)
	}

	runContainer(t, d, engine.ContainerSpec{Name: testName(t, "c"), Command: []string{"sleep", "300"}, Networks: []engine.NetworkAttachment{{Network: name}}})
	if err := d.RemoveNetwork(testContext(t), id); !errors.Is(err, engine.ErrConflict) {
		t.Errorf("removing a network in use: error %v, want ErrConflict", err)
	}
}

func TestVolumeLifecycle(t *testing.T) {
	t.Parallel()
	d := requireEngine(t)
	ctx := testContext(t)
	name := testName(t, "vol")
	if err := d.CreateVolume(ctx, engine.VolumeSpec{Name: name, Labels: labels(engine.LabelVolume, "data")}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := cleanupCtx()
		defer cancel()
		_ = d.RemoveVolume(ctx, name)
	})
	vols, err := d.Volumes(ctx, map[string]string{testLabel: runID, engine.LabelVolume: "data"})
	if err != nil {
		t.Fatal(err)
	}
	if len(vols) != 1 || vols[0].Name != name || vols[0].Labels[engine.LabelVolume] != "data" {
		t.Fatalf("Volumes = %+v", vols)
	}

	// A volume in use cannot be removed.
	id := createContainer(t, d, engine.ContainerSpec{
		Name: testName(t, "c"), Command: []string{"true"},
		Mounts: []engine.MountSpec{{Type: "volume", Source: name, Target: "/data"}},
	})
	if err := d.RemoveVolume(ctx, name); !errors.Is(err, engine.ErrConflict) {
		t.Errorf("removing a volume in use: error %v, want ErrConflict", err)
	}
	if err := d.RemoveContainer(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := d.RemoveVolume(ctx, name); err != nil {
		t.Fatal(err)
	}
	if err := d.RemoveVolume(ctx, name); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("removing a removed volume: error %v, want ErrNotFound", err)
	}
}

func TestContainerOnTwoNetworks(t *testing.T) {
	t.Parallel()
	d := requireEngine(t)
	ctx := testContext(t)
	front, frontPrefix := createSubnetNetwork(t, d, engine.NetworkSpec{Name: testName(t, "front"), Labels: labels()})
	back, backPrefix := createSubnetNetwork(t, d, engine.NetworkSpec{Name: testName(t, "back"), Internal: true, Labels: labels()})
	frontName, backName := testName(t, "front"), testName(t, "back")

	id := createContainer(t, d, engine.ContainerSpec{
		Name:     testName(t, "web"),
		Command:  []string{"sleep", "300"},
		Hostname: "webhost",
		Networks: []engine.NetworkAttachment{
			{Network: frontName, IPv4Address: frontPrefix + "10", Aliases: []string{"shop"}},
			{Network: back, IPv4Address: backPrefix + "20", Aliases: []string{"shop-backend"}},
		},
	})
	det, err := d.InspectContainer(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if det.State != engine.StateCreated || len(det.Networks) != 2 {
		t.Fatalf("before start: state %q, networks %+v", det.State, det.Networks)
	}

	if err := d.StartContainer(ctx, id); err != nil {
		t.Fatal(err)
	}
	det, err = d.InspectContainer(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	f, b := det.Endpoints[frontName], det.Endpoints[backName]
	if f.NetworkID != front || f.IPv4Address != frontPrefix+"10" || !slices.Contains(f.Aliases, "shop") {
		t.Errorf("front endpoint = %+v", f)
	}
	if b.NetworkID != back || b.IPv4Address != backPrefix+"20" || !slices.Contains(b.Aliases, "shop-backend") {
		t.Errorf("back endpoint = %+v", b)
	}
	if det.State != engine.StateRunning || det.StartedAt.IsZero() {
		t.Errorf("after start: state %q, started %v", det.State, det.StartedAt)
	}
	if got := strings.TrimSpace(mustExec(t, d, id, "hostname")); got != "webhost" {
		t.Errorf("hostname = %q", got)
	}

	// A neighbour on the back network resolves the alias through the
	// engine's DNS (busybox nslookup has its own resolver).
	client := runContainer(t, d, engine.ContainerSpec{
		Name: testName(t, "client"), Command: []string{"sleep", "300"},
		Networks: []engine.NetworkAttachment{{Network: backName}},
	})
	out := mustExec(t, d, client, "nslookup", "shop-backend", "127.0.0.11")
	if !strings.Contains(out, backPrefix+"20") {
		t.Errorf("nslookup shop-backend:\n%s", out)
	}
	mustExec(t, d, client, "ping", "-c1", "-W5", backPrefix+"20")
}

func TestCreateContainerSettings(t *testing.T) {
	t.Parallel()
	d := requireEngine(t)
	ctx := testContext(t)
	vol := testName(t, "vol")
	if err := d.CreateVolume(ctx, engine.VolumeSpec{Name: vol, Labels: labels()}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := cleanupCtx()
		defer cancel()
		_ = d.RemoveVolume(ctx, vol)
	})
	stop := 3
	id := runContainer(t, d, engine.ContainerSpec{
		Name:        testName(t, "c"),
		Command:     []string{"sleep", "300"},
		Env:         []string{"GREETING=hallo"},
		WorkingDir:  "/tmp",
		Mounts:      []engine.MountSpec{{Type: "volume", Source: vol, Target: "/data"}, {Type: "tmpfs", Target: "/scratch"}},
		Ports:       []engine.PortBinding{{ContainerPort: 8080, HostIP: "127.0.0.1"}, {ContainerPort: 5353, Protocol: "udp", HostIP: "127.0.0.1"}},
		MemoryBytes: 64 << 20,
		NanoCPUs:    500_000_000,
		Restart:     "on-failure:2",
		CapAdd:      []string{"NET_ADMIN"},
		Sysctls:     map[string]string{"net.ipv4.ip_unprivileged_port_start": "80"},
		StopTimeout: &stop,
		Healthcheck: &engine.HealthcheckSpec{
			Test: []string{"CMD", "true"}, Interval: time.Second, Timeout: time.Second, Retries: 3,
			StartInterval: 500 * time.Millisecond,
		},
	})
	raw, err := d.inspect(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	hc := raw.HostConfig
	if hc.Memory != 64<<20 || hc.NanoCPUs != 500_000_000 || hc.RestartPolicy.Name != "on-failure" || hc.RestartPolicy.MaximumRetryCount != 2 ||
		!slices.Contains(hc.CapAdd, "CAP_NET_ADMIN") || hc.Sysctls["net.ipv4.ip_unprivileged_port_start"] != "80" || len(hc.Mounts) != 2 {
		t.Errorf("host config = %+v", hc)
	}
	if raw.Config.StopTimeout == nil || *raw.Config.StopTimeout != 3 || raw.Config.WorkingDir != "/tmp" {
		t.Errorf("config = %+v", raw.Config)
	}
	if d.Capabilities().HealthcheckStartInterval != (raw.Config.Healthcheck.StartInterval != 0) {
		t.Errorf("StartInterval %v with HealthcheckStartInterval = %v", raw.Config.Healthcheck.StartInterval, d.Capabilities().HealthcheckStartInterval)
	}

	mustExec(t, d, id, "sh", "-c", "echo $GREETING > /data/g && touch /scratch/x")
	if got := mustExec(t, d, id, "cat", "/data/g"); got != "hallo\n" {
		t.Errorf("volume content = %q", got)
	}

	det, err := d.InspectContainer(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(det.Ports) != 2 || det.Ports[0].ContainerPort != 5353 || det.Ports[0].Protocol != "udp" ||
		det.Ports[1].ContainerPort != 8080 || det.Ports[1].HostIP != "127.0.0.1" || det.Ports[1].HostPort == 0 {
		t.Errorf("ports = %+v", det.Ports)
	}

	eventually(t, 30*time.Second, "healthy", func() bool {
		cs, err := d.Containers(ctx, map[string]string{testLabel: runID})
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(cs, func(c engine.Container) bool { return c.ID == id })
		return i >= 0 && cs[i].Health == engine.HealthHealthy
	})
	det, err = d.InspectContainer(ctx, id)
	if err != nil || det.Health != engine.HealthHealthy {
		t.Errorf("inspect health = %q, %v", det.Health, err)
	}

	// Privileged and another container's network namespace.
	side := createContainer(t, d, engine.ContainerSpec{
		Name: testName(t, "side"), Command: []string{"sleep", "300"},
		NetworkMode: "container:" + id, Privileged: true,
	})
	raw, err = d.inspect(ctx, side)
	if err != nil {
		t.Fatal(err)
	}
	if string(raw.HostConfig.NetworkMode) != "container:"+id || !raw.HostConfig.Privileged {
		t.Errorf("side host config: mode %q privileged %v", raw.HostConfig.NetworkMode, raw.HostConfig.Privileged)
	}
}

func TestStopRestartRemove(t *testing.T) {
	t.Parallel()
	d := requireEngine(t)
	ctx := testContext(t)
	id := runContainer(t, d, engine.ContainerSpec{Name: testName(t, "c"), Command: []string{"sleep", "300"}})
	first, err := d.InspectContainer(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.RestartContainer(ctx, id, 0); err != nil {
		t.Fatal(err)
	}
	second, err := d.InspectContainer(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if second.State != engine.StateRunning || !second.StartedAt.After(first.StartedAt) {
		t.Errorf("after restart: %q started %v (before %v)", second.State, second.StartedAt, first.StartedAt)
	}
	start := time.Now()
	if err := d.StopContainer(ctx, id, time.Second); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 8*time.Second {
		t.Errorf("stop with 1s grace took %s", took)
	}
	det, err := d.InspectContainer(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if det.State != engine.StateExited || det.ExitCode != 137 {
		t.Errorf("after stop: %q exit %d", det.State, det.ExitCode)
	}
	if err := d.RemoveContainer(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := d.RemoveContainer(ctx, id); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("removing a removed container: %v, want ErrNotFound", err)
	}
}

func TestNotFoundAndConflict(t *testing.T) {
	t.Parallel()
	d := requireEngine(t)
	ctx := testContext(t)
	missing := "pt-" + runID + "-missing"
	checks := map[string]error{}
	_, checks["inspect"] = d.InspectContainer(ctx, missing)
	checks["start"] = d.StartContainer(ctx, missing)
	checks["stop"] = d.StopContainer(ctx, missing, 0)
	checks["remove"] = d.RemoveContainer(ctx, missing)
	_, checks["exec"] = d.Exec(ctx, missing, engine.ExecSpec{Command: []string{"true"}})
	_, checks["logs"] = d.Logs(ctx, missing, engine.LogOptions{})
	_, checks["copy from"] = d.CopyFrom(ctx, missing, "/etc")
	_, checks["image"] = d.ImageID(ctx, "proeftuin/does-not-exist:0")
	checks["remove network"] = d.RemoveNetwork(ctx, missing)
	checks["remove volume"] = d.RemoveVolume(ctx, missing)
	for what, err := range checks {
		if !errors.Is(err, engine.ErrNotFound) {
			t.Errorf("%s: error %v, want ErrNotFound", what, err)
		}
	}

	name := testName(t, "c")
	createContainer(t, d, engine.ContainerSpec{Name: name, Command: []string{"true"}})
	_, err := d.CreateContainer(ctx, engine.ContainerSpec{Name: name, Image: testImage, Labels: labels()})
	if !errors.Is(err, engine.ErrConflict) {
		t.Errorf("duplicate container: error %v, want ErrConflict", err)
	}
	if err != nil && !strings.Contains(err.Error(), "create container "+name) {
		t.Errorf("error lacks context: %v", err)
	}

	// A failing second network connect leaves nothing behind.
	net1 := testName(t, "n1")
	createNetwork(t, d, engine.NetworkSpec{Name: net1, Labels: labels()})
	half := testName(t, "half")
	t.Cleanup(func() {
		ctx, cancel := cleanupCtx()
		defer cancel()
		_ = d.RemoveContainer(ctx, half)
	})
	_, err = d.CreateContainer(ctx, engine.ContainerSpec{
		Name: half, Image: testImage, Labels: labels(),
		Networks: []engine.NetworkAttachment{{Network: net1}, {Network: missing}},
	})
	if !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("missing second network: error %v, want ErrNotFound", err)
	}
	if _, err := d.InspectContainer(ctx, half); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("half-created container left behind: %v", err)
	}
}

func TestContainersByLabel(t *testing.T) {
	t.Parallel()
	d := requireEngine(t)
	ctx := testContext(t)
	inst := "inst-" + runID
	b := createContainer(t, d, engine.ContainerSpec{Name: testName(t, "b"), Command: []string{"true"}, Labels: labels(engine.LabelInstance, inst, engine.LabelService, "b")})
	a := createContainer(t, d, engine.ContainerSpec{Name: testName(t, "a"), Command: []string{"true"}, Labels: labels(engine.LabelInstance, inst, engine.LabelService, "a")})
	createContainer(t, d, engine.ContainerSpec{Name: testName(t, "other"), Command: []string{"true"}, Labels: labels(engine.LabelInstance, inst+"-other")})

	all, err := d.Containers(ctx, map[string]string{engine.LabelInstance: inst})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].ID != a || all[1].ID != b {
		t.Fatalf("Containers(instance) = %+v", all)
	}
	if all[0].State != engine.StateCreated || all[0].Image != testImage || all[0].Name != testName(t, "a") || all[0].Labels[engine.LabelService] != "a" {
		t.Errorf("summary = %+v", all[0])
	}
	one, err := d.Containers(ctx, map[string]string{engine.LabelInstance: inst, engine.LabelService: "b"})
	if err != nil || len(one) != 1 || one[0].ID != b {
		t.Fatalf("Containers(instance, service=b) = %+v, %v", one, err)
	}
	any, err := d.Containers(ctx, map[string]string{testLabel: runID, engine.LabelService: ""})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range any {
		if _, ok := c.Labels[engine.LabelService]; !ok {
			t.Errorf("Containers(service=*) returned %s without the label", c.Name)
		}
	}
	if !slices.IsSortedFunc(any, func(x, y engine.Container) int { return strings.Compare(x.Name, y.Name) }) {
		t.Errorf("not sorted by name: %+v", any)
	}
}

func TestCopyBeforeStartAndBack(t *testing.T) {
	t.Parallel()
	d := requireEngine(t)
	ctx := testContext(t)
	id := createContainer(t, d, engine.ContainerSpec{Name: testName(t, "c"), Command: []string{"sleep", "300"}})
	files := tarOf(t, map[string]string{"etc/app/app.conf": "port=8080\n", "etc/app/motd": "welkom\n"})
	if err := d.CopyTo(ctx, id, "/", files); err != nil {
		t.Fatal(err)
	}
	if err := d.StartContainer(ctx, id); err != nil {
		t.Fatal(err)
	}
	if got := mustExec(t, d, id, "cat", "/etc/app/app.conf", "/etc/app/motd"); got != "port=8080\nwelkom\n" {
		t.Errorf("copied files = %q", got)
	}
	rc, err := d.CopyFrom(ctx, id, "/etc/app/motd")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	hdr, err := tr.Next()
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(tr)
	if hdr.Name != "motd" || string(body) != "welkom\n" {
		t.Errorf("CopyFrom: %s = %q", hdr.Name, body)
	}
	if err := d.CopyTo(ctx, id, "/does/not/exist", tarOf(t, map[string]string{"x": "y"})); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("copy to a missing folder: %v, want ErrNotFound", err)
	}
}

func TestExec(t *testing.T) {
	t.Parallel()
	d := requireEngine(t)
	ctx := testContext(t)
	id := runContainer(t, d, engine.ContainerSpec{Name: testName(t, "c"), Command: []string{"sleep", "300"}})

	res, err := d.Exec(ctx, id, engine.ExecSpec{
		Command: []string{"sh", "-c", "echo out; echo err >&2; echo $WHO in $(pwd) as $(id -u); exit 3"},
		Env:     []string{"WHO=student"}, WorkDir: "/tmp", User: "65534",
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 3 || string(res.Stdout) != "out\nstudent in /tmp as 65534\n" || string(res.Stderr) != "err\n" || res.Truncated {
		t.Errorf("Exec = code %d stdout %q stderr %q truncated %v", res.ExitCode, res.Stdout, res.Stderr, res.Truncated)
	}

	res, err = d.Exec(ctx, id, engine.ExecSpec{Command: []string{"sh", "-c", "tr a-z A-Z; echo done >&2"}, Stdin: strings.NewReader("hallo\nwereld\n")})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 0 || string(res.Stdout) != "HALLO\nWERELD\n" || string(res.Stderr) != "done\n" {
		t.Errorf("Exec with stdin = code %d stdout %q stderr %q", res.ExitCode, res.Stdout, res.Stderr)
	}

	res, err = d.Exec(ctx, id, engine.ExecSpec{Command: []string{"/no/such/binary"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 126 && res.ExitCode != 127 {
		t.Errorf("missing binary: exit %d, stdout %q stderr %q", res.ExitCode, res.Stdout, res.Stderr)
	}

	cctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = d.Exec(cctx, id, engine.ExecSpec{Command: []string{"sleep", "30"}})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("cancelled exec: error %v, want DeadlineExceeded", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("cancelled exec returned after %s", took)
	}
}

func TestExecOutputIsBounded(t *testing.T) {
	d := requireEngine(t)
	ctx := testContext(t)
	id := runContainer(t, d, engine.ContainerSpec{Name: testName(t, "c"), Command: []string{"sleep", "300"}})

	const total = 20 << 20 // 20 MiB on each stream
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res, err := d.Exec(ctx, id, engine.ExecSpec{
		Command:     []string{"sh", "-c", "yes 0123456789abcdef | head -c 20971520; echo END; yes e | head -c 20971520 >&2; echo ERR-END >&2"},
		OutputLimit: 1000,
	})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 0 || !res.Truncated || len(res.Stdout) != 1000 || len(res.Stderr) != 1000 {
		t.Fatalf("code %d truncated %v len(stdout) %d len(stderr) %d", res.ExitCode, res.Truncated, len(res.Stdout), len(res.Stderr))
	}
	if !strings.HasSuffix(string(res.Stdout), "END\n") || !strings.HasSuffix(string(res.Stderr), "e\nERR-END\n") {
		t.Errorf("tails: stdout …%q stderr …%q", res.Stdout[900:], res.Stderr[900:])
	}
	// 40 MiB passed through; what was allocated must not scale with it.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > total/2 {
		t.Errorf("allocated %d bytes for 2×%d bytes of output", alloc, total)
	}

	res, err = d.Exec(ctx, id, engine.ExecSpec{Command: []string{"sh", "-c", "head -c 70000 /dev/zero"}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Truncated || len(res.Stdout) != defaultOutputLimit {
		t.Errorf("default limit: truncated %v len %d", res.Truncated, len(res.Stdout))
	}
}

func TestLogs(t *testing.T) {
	t.Parallel()
	d := requireEngine(t)
	ctx := testContext(t)
	id := runContainer(t, d, engine.ContainerSpec{
		Name: testName(t, "c"),
		// Docker orders stdout against stderr only as precisely as its log
		// timestamps, hence the pauses.
		Command: []string{"sh", "-c", "echo one; sleep 0.2; echo two >&2; sleep 0.2; echo three; sleep 1; echo four; sleep 300"},
	})

	follow, err := d.Logs(ctx, id, engine.LogOptions{Follow: true})
	if err != nil {
		t.Fatal(err)
	}
	defer follow.Close()
	var lines []string
	sc := bufio.NewScanner(follow)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if sc.Text() == "four" {
			break
		}
	}
	if !slices.Equal(lines, []string{"one", "two", "three", "four"}) {
		t.Errorf("followed lines = %q (err %v)", lines, sc.Err())
	}
	closed := make(chan struct{})
	go func() { _, _ = io.Copy(io.Discard, follow); close(closed) }()
	_ = follow.Close()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Error("closing a followed log did not end it")
	}

	tail, err := d.Logs(ctx, id, engine.LogOptions{Tail: "2"})
	if err != nil {
		t.Fatal(err)
	}
	defer tail.Close()
	body, err := io.ReadAll(tail)
	if err != nil {
		t.Fatal(err)
	}
	if string(body) != "three\nfour\n" {
		t.Errorf("tail 2 = %q", body)
	}
}

func TestBuildImage(t *testing.T) {
	t.Parallel()
	d := requireEngine(t)
	ctx := testContext(t)
	base := requireImage(t, d)
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("build/Dockerfile", "FROM "+base+" AS base\nARG GREETING\nCOPY . /ctx/\nRUN echo \"$GREETING\" > /greeting\n\nFROM base AS final\nRUN echo final > /stage\n")
	write("keep.txt", "kept\n")
	write("secret.txt", "do not ship\n")
	write("logs/app.log", "noise\n")
	write(".dockerignore", "# test\nsecret.txt\nlogs\nbuild\n")

	tag := "proeftuin-enginetest/build:" + runID
	t.Cleanup(func() {
		ctx, cancel := cleanupCtx()
		defer cancel()
		_, _ = d.cli.ImageRemove(ctx, tag, imageRemoveOptions())
	})
	var progress []string
	id, err := d.BuildImage(ctx, engine.BuildSpec{
		ContextDir: dir,
		Dockerfile: "build/Dockerfile",
		Args:       map[string]string{"GREETING": "hoi"},
		Target:     "base",
		Tags:       []string{tag},
		Labels:     labels(),
	}, func(line string) { progress = append(progress, line) })
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(id, "sha256:") {
		t.Errorf("image ID = %q", id)
	}
	if got, err := d.ImageID(ctx, tag); err != nil || got != id {
		t.Errorf("ImageID(%s) = %q, %v; want %q", tag, got, err, id)
	}
	if !slices.ContainsFunc(progress, func(l string) bool { return strings.Contains(l, "Step 1/") }) {
		t.Errorf("no build progress: %q", progress)
	}
	img, err := d.cli.ImageInspect(ctx, tag)
	if err != nil {
		t.Fatal(err)
	}
	if img.Config.Labels[testLabel] != runID {
		t.Errorf("image labels = %v", img.Config.Labels)
	}

	c := runContainer(t, d, engine.ContainerSpec{Name: testName(t, "c"), Image: tag, Command: []string{"sleep", "300"}})
	if got := mustExec(t, d, c, "cat", "/greeting", "/ctx/keep.txt"); got != "hoi\nkept\n" {
		t.Errorf("built content = %q", got)
	}
	res, err := d.Exec(ctx, c, engine.ExecSpec{Command: []string{"ls", "/ctx/secret.txt", "/ctx/logs", "/stage"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode == 0 {
		t.Errorf("ignored files or a later stage made it into the image: %s", res.Stdout)
	}
	if got := mustExec(t, d, c, "ls", "-a", "/ctx"); strings.Contains(got, "secret") || !strings.Contains(got, ".dockerignore") {
		t.Errorf("/ctx holds %q", got)
	}

	// A second build is served from the cache.
	progress = nil
	id2, err := d.BuildImage(ctx, engine.BuildSpec{ContextDir: dir, Dockerfile: "build/Dockerfile", Args: map[string]string{"GREETING": "hoi"}, Target: "base", Tags: []string{tag}, Labels: labels()},
		func(line string) { progress = append(progress, line) })
	if err != nil || id2 != id {
		t.Errorf("rebuild: %q, %v; want %q", id2, err, id)
	}
	if !slices.ContainsFunc(progress, func(l string) bool { return strings.Contains(l, "Using cache") }) {
		t.Errorf("rebuild did not use the cache: %q", progress)
	}
}

func TestBuildImageFailure(t *testing.T) {
	t.Parallel()
	d := requireEngine(t)
	ctx := testContext(t)
	dir := t.TempDir()
	df := "FROM " + requireImage(t, d) + "\nRUN echo about to fail " + runID + " && exit 7\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(df), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := d.BuildImage(ctx, engine.BuildSpec{ContextDir: dir, Tags: []string{"proeftuin-enginetest/fail:" + runID}}, nil)
	if err == nil || !strings.Contains(err.Error(), "returned a non-zero code: 7") || !strings.Contains(err.Error(), "build image proeftuin-enginetest/fail") {
		t.Errorf("error = %v", err)
	}
	// The container of the failed step is not left behind.
	list, err := d.cli.ContainerList(ctx, client.ContainerListOptions{All: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list.Items {
		if strings.Contains(c.Command, "about to fail "+runID) {
			t.Errorf("the failed build left container %s (%s)", c.ID, c.Command)
		}
	}
	_, err = d.BuildImage(ctx, engine.BuildSpec{ContextDir: filepath.Join(dir, "missing")}, nil)
	if err == nil {
		t.Error("a missing context gave no error")
	}
}

func TestPullImageErrorNamesImage(t *testing.T) {
	t.Parallel()
	d := requireEngine(t)
	// An invalid reference fails before any traffic leaves the machine.
	err := d.PullImage(testContext(t), "Invalid::Ref", nil)
	if err == nil || !strings.Contains(err.Error(), "pull image Invalid::Ref") {
		t.Errorf("error = %v", err)
	}
}

func TestTop(t *testing.T) {
	t.Parallel()
	d := requireEngine(t)
	id := runContainer(t, d, engine.ContainerSpec{Name: testName(t, "c"), Command: []string{"sleep", "301"}})
	procs, err := d.Top(testContext(t), id)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(procs, func(p engine.Process) bool { return p.PID > 0 && strings.Contains(p.Command, "sleep 301") }) {
		t.Errorf("Top = %+v", procs)
	}
	if _, err := d.Top(testContext(t), "pt-"+runID+"-missing"); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("Top of a missing container: %v", err)
	}
}

// TestStartUnpauses: a paused container is drift that up undoes by
// starting it (issue 17, trial 7); the engine unpauses it.
func TestStartUnpauses(t *testing.T) {
	t.Parallel()
	d := requireEngine(t)
	ctx := testContext(t)
	id := runContainer(t, d, engine.ContainerSpec{Name: testName(t, "p"), Command: []string{"sleep", "300"}})
	if _, err := d.cli.ContainerPause(ctx, id, client.ContainerPauseOptions{}); err != nil {
		t.Fatal(err)
	}
	if det, _ := d.InspectContainer(ctx, id); det.State != "paused" {
		t.Fatalf("state %q after pause", det.State)
	}
	if err := d.StartContainer(ctx, id); err != nil {
		t.Fatalf("start a paused container: %v", err)
	}
	if det, _ := d.InspectContainer(ctx, id); det.State != "running" {
		t.Fatalf("state %q after start, want running", det.State)
	}
}
