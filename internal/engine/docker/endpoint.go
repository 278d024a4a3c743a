package docker

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/moby/moby/client"
)

// defaultContext is the docker CLI's name for "no context: use DOCKER_HOST
// or the platform's default socket".
const defaultContext = "default"

// endpoint is where and how to reach a daemon, resolved the way the docker
// CLI resolves it.
type endpoint struct {
	Context string // the docker context it came from ("default" when none)
	Host    string // unix:///..., tcp://..., ssh://..., npipe://...

	// TLS is nil when the connection is not TLS.
	TLS *tlsFiles
}

// tlsFiles names the TLS material of an endpoint; empty fields are absent.
type tlsFiles struct {
	CAFile     string
	CertFile   string
	KeyFile    string
	SkipVerify bool
}

// environ is the part of the process environment endpoint resolution reads;
// tests fill it instead of touching os.Environ.
type environ struct {
	Host       string // DOCKER_HOST
	Context    string // DOCKER_CONTEXT
	TLSVerify  string // DOCKER_TLS_VERIFY
	CertPath   string // DOCKER_CERT_PATH
	ConfigDir  string // DOCKER_CONFIG
	HomeDir    string // the user's home directory
	APIVersion string // DOCKER_API_VERSION (not used for the endpoint itself)
	// GOOS is the operating system proeftuin runs on; it decides the
	// default daemon address and path syntax, so Windows and macOS
	// behaviour is testable anywhere.
	GOOS string
}

func osEnviron() environ {
	home, _ := os.UserHomeDir()
	return environ{
		Host:       os.Getenv(client.EnvOverrideHost),
		Context:    os.Getenv("DOCKER_CONTEXT"),
		TLSVerify:  os.Getenv(client.EnvTLSVerify),
		CertPath:   os.Getenv(client.EnvOverrideCertPath),
		ConfigDir:  os.Getenv("DOCKER_CONFIG"),
		HomeDir:    home,
		APIVersion: os.Getenv(client.EnvOverrideAPIVersion),
		GOOS:       runtime.GOOS,
	}
}

// defaultHost is the daemon address the docker CLI uses on goos without a
// context or DOCKER_HOST: Docker Desktop's named pipe on Windows, the
// socket elsewhere (Docker Desktop on macOS links /var/run/docker.sock to
// its own; it and colima also install a context, read before this).
func defaultHost(goos string) string {
	if goos == "windows" {
		return "npipe:////./pipe/docker_engine"
	}
	return "unix:///var/run/docker.sock"
}

// join joins path elements with the separator of env.GOOS.
func (env environ) join(elem ...string) string {
	if env.GOOS == "windows" && runtime.GOOS != "windows" {
		return strings.Join(elem, `\`)
	}
	return filepath.Join(elem...)
}

// configDir is the docker CLI's configuration folder.
func (env environ) configDir() string {
	if env.ConfigDir != "" {
		return env.ConfigDir
	}
	// %USERPROFILE%\.docker on Windows (the docker CLI reads its home
	// from USERPROFILE, not APPDATA), ~/.docker elsewhere.
	return env.join(env.HomeDir, ".docker")
}

// resolveEndpoint picks the daemon endpoint with the docker CLI's
// precedence: an explicit host (like -H), an explicit context (like
// --context), DOCKER_HOST, DOCKER_CONTEXT, the config file's
// currentContext, and finally the platform default.
func resolveEndpoint(opts Options, env environ) (endpoint, error) {
	if opts.Host != "" && opts.Context != "" {
		return endpoint{}, errors.New("a docker host and a docker context cannot both be given")
	}
	if opts.Host != "" {
		return defaultEndpoint(opts.Host, env), nil
	}
	name := opts.Context
	if name == "" && env.Host != "" {
		return defaultEndpoint(env.Host, env), nil
	}
	if name == "" {
		name = env.Context
	}
	if name == "" {
		current, err := currentContext(env.configDir())
		if err != nil {
			return endpoint{}, err
		}
		name = current
	}
	if name == "" || name == defaultContext {
		return defaultEndpoint(env.Host, env), nil
	}
	return contextEndpoint(env.configDir(), name)
}

// defaultEndpoint is the "default" context: host (or the platform socket)
// with TLS from DOCKER_TLS_VERIFY / DOCKER_CERT_PATH.
func defaultEndpoint(host string, env environ) endpoint {
	if host == "" {
		host = defaultHost(env.GOOS)
	}
	ep := endpoint{Context: defaultContext, Host: host}
	if env.TLSVerify != "" || env.CertPath != "" {
		dir := env.CertPath
		if dir == "" {
			dir = env.configDir()
		}
		ep.TLS = &tlsFiles{
			CAFile:     existing(filepath.Join(dir, "ca.pem")),
			CertFile:   existing(filepath.Join(dir, "cert.pem")),
			KeyFile:    existing(filepath.Join(dir, "key.pem")),
			SkipVerify: env.TLSVerify == "",
		}
	}
	return ep
}

// currentContext reads currentContext from the CLI's config.json; a missing
// file means no context.
func currentContext(configDir string) (string, error) {
	path := filepath.Join(configDir, "config.json")
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read docker config: %w", err)
	}
	var cfg struct {
		CurrentContext string `json:"currentContext"`
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		return "", fmt.Errorf("read docker config %s: %w", path, err)
	}
	return cfg.CurrentContext, nil
}

// contextDirName is how the CLI names a context's folders.
func contextDirName(name string) string {
	sum := sha256.Sum256([]byte(name))
	return hex.EncodeToString(sum[:])
}

// contextEndpoint reads a named context from the CLI's context store.
func contextEndpoint(configDir, name string) (endpoint, error) {
	id := contextDirName(name)
	path := filepath.Join(configDir, "contexts", "meta", id, "meta.json")
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return endpoint{}, fmt.Errorf("docker context %q does not exist (no %s)", name, path)
	}
	if err != nil {
		return endpoint{}, fmt.Errorf("read docker context %q: %w", name, err)
	}
	var meta struct {
		Name      string
		Endpoints map[string]struct {
			Host          string
			SkipTLSVerify bool
		}
	}
	if err := json.Unmarshal(data, &meta); err != nil {
		return endpoint{}, fmt.Errorf("read docker context %q from %s: %w", name, path, err)
	}
	docker, ok := meta.Endpoints["docker"]
	if !ok || docker.Host == "" {
		return endpoint{}, fmt.Errorf("docker context %q has no docker endpoint", name)
	}
	ep := endpoint{Context: name, Host: docker.Host}

	tlsDir := filepath.Join(configDir, "contexts", "tls", id, "docker")
	files := tlsFiles{
		CAFile:     existing(filepath.Join(tlsDir, "ca.pem")),
		CertFile:   existing(filepath.Join(tlsDir, "cert.pem")),
		KeyFile:    existing(filepath.Join(tlsDir, "key.pem")),
		SkipVerify: docker.SkipTLSVerify,
	}
	if files.CAFile != "" || files.CertFile != "" || files.KeyFile != "" || files.SkipVerify {
		ep.TLS = &files
	}
	return ep, nil
}

// existing returns path when a file is there, else "".
func existing(path string) string {
	if _, err := os.Stat(path); err != nil {
		return ""
	}
	return path
}
