package docker

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// writeContext stores a context the way the docker CLI does.
func writeContext(t *testing.T, configDir, name, host string, skipTLS bool, tlsFiles ...string) {
	t.Helper()
	id := contextDirName(name)
	meta := filepath.Join(configDir, "contexts", "meta", id)
	if err := os.MkdirAll(meta, 0o755); err != nil {
		t.Fatal(err)
	}
	skip := "false"
	if skipTLS {
		skip = "true"
	}
	doc := `{"Name":"` + name + `","Metadata":{"Description":"test"},"Endpoints":{"docker":{"Host":"` + host + `","SkipTLSVerify":` + skip + `}}}`
	if err := os.WriteFile(filepath.Join(meta, "meta.json"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	if len(tlsFiles) > 0 {
		dir := filepath.Join(configDir, "contexts", "tls", id, "docker")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range tlsFiles {
			if err := os.WriteFile(filepath.Join(dir, f), []byte("pem"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func writeConfig(t *testing.T, configDir, current string) {
	t.Helper()
	if err := os.MkdirAll(configDir, 0o755); err != nil {
		t.Fatal(err)
	}
	doc := `{"auths":{},"currentContext":"` + current + `"}`
	if err := os.WriteFile(filepath.Join(configDir, "config.json"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestContextDirNameMatchesCLI(t *testing.T) {
	// sha256("default"), as found under ~/.docker/contexts/meta.
	const want = "37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f"
	if got := contextDirName("default"); got != want {
		t.Fatalf("contextDirName(default) = %s, want %s", got, want)
	}
}

func TestResolveEndpoint(t *testing.T) {
	home := t.TempDir()
	cfgDir := filepath.Join(home, ".docker")
	writeConfig(t, cfgDir, "remote")
	writeContext(t, cfgDir, "remote", "tcp://remote.example:2376", false, "ca.pem", "cert.pem", "key.pem")
	writeContext(t, cfgDir, "other", "ssh://me@box", false)
	writeContext(t, cfgDir, "insecure", "tcp://insecure.example:2376", true)

	altCfg := filepath.Join(t.TempDir(), "alt")
	writeConfig(t, altCfg, "alt-ctx")
	writeContext(t, altCfg, "alt-ctx", "unix:///alt.sock", false)

	tlsDir := filepath.Join(cfgDir, "contexts", "tls", contextDirName("remote"), "docker")
	certDir := t.TempDir()
	for _, f := range []string{"ca.pem", "cert.pem", "key.pem"} {
		if err := os.WriteFile(filepath.Join(certDir, f), []byte("pem"), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	tests := []struct {
		name string
		opts Options
		env  environ
		want endpoint
	}{
		{
			name: "config current context",
			env:  environ{HomeDir: home},
			want: endpoint{Context: "remote", Host: "tcp://remote.example:2376", TLS: &tlsFiles{
				CAFile: filepath.Join(tlsDir, "ca.pem"), CertFile: filepath.Join(tlsDir, "cert.pem"), KeyFile: filepath.Join(tlsDir, "key.pem"),
			}},
		},
		{
			name: "DOCKER_CONTEXT beats config",
			env:  environ{HomeDir: home, Context: "other"},
			want: endpoint{Context: "other", Host: "ssh://me@box"},
		},
		{
			name: "DOCKER_HOST beats DOCKER_CONTEXT",
			env:  environ{HomeDir: home, Context: "other", Host: "tcp://1.2.3.4:2375"},
			want: endpoint{Context: "default", Host: "tcp://1.2.3.4:2375"},
		},
		{
			name: "explicit context beats DOCKER_HOST",
			opts: Options{Context: "other"},
			env:  environ{HomeDir: home, Host: "tcp://1.2.3.4:2375"},
			want: endpoint{Context: "other", Host: "ssh://me@box"},
		},
		{
			name: "explicit host beats everything",
			opts: Options{Host: "unix:///tmp/x.sock"},
			env:  environ{HomeDir: home, Host: "tcp://1.2.3.4:2375", Context: "other"},
			want: endpoint{Context: "default", Host: "unix:///tmp/x.sock"},
		},
		{
			name: "DOCKER_CONTEXT=default uses the platform socket",
			env:  environ{HomeDir: home, Context: "default"},
			want: endpoint{Context: "default", Host: "unix:///var/run/docker.sock"},
		},
		{
			name: "no config at all",
			env:  environ{HomeDir: t.TempDir()},
			want: endpoint{Context: "default", Host: "unix:///var/run/docker.sock"},
		},
		{
			name: "DOCKER_CONFIG moves the config folder",
			env:  environ{HomeDir: home, ConfigDir: altCfg},
			want: endpoint{Context: "alt-ctx", Host: "unix:///alt.sock"},
		},
		{
			name: "SkipTLSVerify alone turns TLS on",
			opts: Options{Context: "insecure"},
			env:  environ{HomeDir: home},
			want: endpoint{Context: "insecure", Host: "tcp://insecure.example:2376", TLS: &tlsFiles{SkipVerify: true}},
		},
		{
			name: "DOCKER_TLS_VERIFY with DOCKER_CERT_PATH",
			env:  environ{HomeDir: home, Host: "tcp://h:2376", TLSVerify: "1", CertPath: certDir},
			want: endpoint{Context: "default", Host: "tcp://h:2376", TLS: &tlsFiles{
				CAFile: filepath.Join(certDir, "ca.pem"), CertFile: filepath.Join(certDir, "cert.pem"), KeyFile: filepath.Join(certDir, "key.pem"),
			}},
		},
		{
			name: "DOCKER_CERT_PATH without DOCKER_TLS_VERIFY skips verification",
			env:  environ{HomeDir: home, Host: "tcp://h:2376", CertPath: certDir},
			want: endpoint{Context: "default", Host: "tcp://h:2376", TLS: &tlsFiles{
				CAFile: filepath.Join(certDir, "ca.pem"), CertFile: filepath.Join(certDir, "cert.pem"), KeyFile: filepath.Join(certDir, "key.pem"),
				SkipVerify: true,
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := resolveEndpoint(tt.opts, tt.env)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v (TLS %+v)\nwant %+v (TLS %+v)", got, got.TLS, tt.want, tt.want.TLS)
			}
		})
	}
}

func TestResolveEndpointErrors(t *testing.T) {
	home := t.TempDir()
	cfgDir := filepath.Join(home, ".docker")
	writeConfig(t, cfgDir, "gone")

	tests := []struct {
		name string
		opts Options
		env  environ
		want string
	}{
		{"host and context", Options{Host: "unix:///x", Context: "c"}, environ{HomeDir: home}, "cannot both"},
		{"missing current context", Options{}, environ{HomeDir: home}, `docker context "gone" does not exist`},
		{"missing explicit context", Options{Context: "nope"}, environ{HomeDir: home}, `docker context "nope" does not exist`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := resolveEndpoint(tt.opts, tt.env)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}

	bad := t.TempDir()
	if err := os.WriteFile(filepath.Join(bad, "config.json"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := resolveEndpoint(Options{}, environ{ConfigDir: bad}); err == nil {
		t.Fatal("a broken config.json gave no error")
	}
}

func TestSSHArgs(t *testing.T) {
	tests := []struct {
		host string
		want []string
	}{
		{"ssh://box", []string{"--", "box", "docker", "system", "dial-stdio"}},
		{"ssh://me@box:2222", []string{"-l", "me", "-p", "2222", "--", "box", "docker", "system", "dial-stdio"}},
	}
	for _, tt := range tests {
		got, err := sshArgs(tt.host)
		if err != nil {
			t.Fatalf("%s: %v", tt.host, err)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("sshArgs(%s) = %q, want %q", tt.host, got, tt.want)
		}
	}
	for _, bad := range []string{"ssh://me:secret@box", "ssh://box/path", "tcp://box", "ssh://"} {
		if _, err := sshArgs(bad); err == nil {
			t.Errorf("sshArgs(%s) gave no error", bad)
		}
	}
}

func TestDaemonHostname(t *testing.T) {
	tests := map[string]string{
		"unix:///var/run/docker.sock":    "127.0.0.1",
		"npipe:////./pipe/docker_engine": "127.0.0.1",
		"tcp://10.0.0.5:2376":            "10.0.0.5",
		"ssh://me@box.lan:22":            "box.lan",
	}
	for host, want := range tests {
		if got := daemonHostname(host); got != want {
			t.Errorf("daemonHostname(%s) = %s, want %s", host, got, want)
		}
	}
}

// TestEndpointPerOS resolves the endpoint as the docker CLI does on
// Windows and macOS, from Linux: the functions take the OS.
func TestEndpointPerOS(t *testing.T) {
	t.Run("windows default is Docker Desktop's named pipe", func(t *testing.T) {
		env := environ{GOOS: "windows", HomeDir: `C:\Users\student`}
		if got := env.configDir(); got != `C:\Users\student\.docker` {
			t.Errorf("config dir %q, want %%USERPROFILE%%\\.docker", got)
		}
		ep, err := resolveEndpoint(Options{}, env)
		if err != nil {
			t.Fatal(err)
		}
		if ep.Host != "npipe:////./pipe/docker_engine" || ep.Context != defaultContext {
			t.Errorf("endpoint %+v, want the docker_engine pipe", ep)
		}
	})
	t.Run("windows DOCKER_HOST wins", func(t *testing.T) {
		ep, err := resolveEndpoint(Options{}, environ{GOOS: "windows", HomeDir: `C:\Users\student`, Host: "npipe:////./pipe/dockerDesktopLinuxEngine"})
		if err != nil || ep.Host != "npipe:////./pipe/dockerDesktopLinuxEngine" {
			t.Errorf("endpoint %+v, %v", ep, err)
		}
	})
	for name, host := range map[string]string{
		"desktop-linux": "unix:///Users/student/.docker/run/docker.sock",
		"colima":        "unix:///Users/student/.colima/default/docker.sock",
	} {
		t.Run("darwin "+name+" context", func(t *testing.T) {
			home := t.TempDir()
			cfg := filepath.Join(home, ".docker")
			writeContext(t, cfg, name, host, false)
			writeConfig(t, cfg, name)
			ep, err := resolveEndpoint(Options{}, environ{GOOS: "darwin", HomeDir: home})
			if err != nil {
				t.Fatal(err)
			}
			if ep.Host != host || ep.Context != name {
				t.Errorf("endpoint %+v, want %s from context %s", ep, host, name)
			}
		})
	}
	t.Run("darwin without a context uses the socket", func(t *testing.T) {
		ep, err := resolveEndpoint(Options{}, environ{GOOS: "darwin", HomeDir: t.TempDir()})
		if err != nil || ep.Host != "unix:///var/run/docker.sock" {
			t.Errorf("endpoint %+v, %v", ep, err)
		}
	})
}
