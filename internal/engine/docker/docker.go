// Package docker implements engine.Engine on the Docker Engine API with
// github.com/moby/moby/client.
//
// The daemon is found the way the docker CLI finds it (DOCKER_HOST,
// DOCKER_CONTEXT, the CLI's current context, TLS from DOCKER_CERT_PATH or
// the context store, ssh:// through `docker system dial-stdio`), and the API
// version is negotiated, so the same binary talks to Docker Engine 20.10
// (API 1.41) and to current Docker Desktop.
package docker

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
	"github.com/moby/moby/client/pkg/versions"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// Options chooses the daemon. The zero value behaves like the docker CLI
// without flags.
type Options struct {
	// Host is a daemon address (unix://, tcp://, ssh://, npipe://), like the
	// CLI's -H; it beats every other setting.
	Host string
	// Context is a docker context name, like the CLI's --context; it beats
	// DOCKER_HOST and DOCKER_CONTEXT. Host and Context are exclusive.
	Context string
	// PingTimeout bounds the first contact with the daemon; 0 means 15s.
	PingTimeout time.Duration
}

// apiHealthcheckStartInterval is the API version (Docker 25) from which a
// healthcheck's start_interval is honoured. Before it CreateContainer
// drops HealthcheckSpec.StartInterval.
const apiHealthcheckStartInterval = "1.44"

// ErrUnreachable is wrapped by errors for a daemon that does not answer.
var ErrUnreachable = errors.New("container engine does not answer")

// Docker is the engine.Engine on a Docker daemon.
type Docker struct {
	cli  *client.Client
	ep   endpoint
	host string // the address users know, e.g. ssh://me@box, for messages

	// madeNets holds the networks this client created (name -> ID) and
	// has not removed: CreateContainer need not look them up again.
	netMu    sync.Mutex
	madeNets map[string]string
}

var _ engine.Engine = (*Docker)(nil)

// New connects to the daemon chosen by opts and the environment, and
// negotiates the API version. It fails with an error wrapping
// ErrUnreachable when the daemon does not answer.
func New(ctx context.Context, opts Options) (engine.Engine, error) {
	d, err := newDocker(ctx, opts, osEnviron())
	if err != nil {
		return nil, err
	}
	return d, nil
}

func newDocker(ctx context.Context, opts Options, env environ) (*Docker, error) {
	ep, err := resolveEndpoint(opts, env)
	if err != nil {
		return nil, fmt.Errorf("find docker engine: %w", err)
	}
	clientOpts, err := clientOptions(ep, env)
	if err != nil {
		return nil, fmt.Errorf("configure docker client for %s: %w", ep.Host, err)
	}
	cli, err := client.New(clientOpts...)
	if err != nil {
		return nil, fmt.Errorf("configure docker client for %s: %w", ep.Host, err)
	}
	d := &Docker{cli: cli, ep: ep, host: ep.Host}

	timeout := opts.PingTimeout
	if timeout == 0 {
		timeout = 15 * time.Second
	}
	pctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if _, err := cli.Ping(pctx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		_ = cli.Close()
		if ctx.Err() != nil {
			return nil, fmt.Errorf("connect to docker engine at %s: %w", ep.Host, ctx.Err())
		}
		return nil, d.unreachable(err)
	}
	return d, nil
}

// clientOptions turns an endpoint into moby client options.
func clientOptions(ep endpoint, env environ) ([]client.Opt, error) {
	var opts []client.Opt
	if u, err := url.Parse(ep.Host); err == nil && u.Scheme == "ssh" {
		dial, err := sshDialer(ep.Host)
		if err != nil {
			return nil, err
		}
		// The HTTP host is a placeholder: every connection goes through ssh.
		// A transport of our own keeps HTTP(S)_PROXY out of the way.
		opts = append(opts,
			client.WithHost("http://docker.example.com"),
			client.WithHTTPClient(&http.Client{
				Transport:     &http.Transport{DialContext: dial, MaxIdleConns: 6, IdleConnTimeout: 30 * time.Second},
				CheckRedirect: client.CheckRedirect,
			}),
		)
	} else {
		if ep.TLS != nil {
			cfg, err := tlsConfig(*ep.TLS)
			if err != nil {
				return nil, err
			}
			opts = append(opts, client.WithHTTPClient(&http.Client{
				Transport:     &http.Transport{TLSClientConfig: cfg},
				CheckRedirect: client.CheckRedirect,
			}))
		}
		opts = append(opts, client.WithHost(ep.Host))
		if path, ok := strings.CutPrefix(ep.Host, "unix://"); ok && ep.TLS == nil {
			var d net.Dialer
			opts = append(opts, client.WithDialContext(unixDialer(path, d.DialContext)))
		}
	}
	if env.APIVersion != "" {
		opts = append(opts, client.WithAPIVersion(env.APIVersion))
	}
	opts = append(opts, client.WithUserAgent("proeftuin"))
	return opts, nil
}

func tlsConfig(files tlsFiles) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: files.SkipVerify} //nolint:gosec // the user asked for it
	if files.CAFile != "" {
		pem, err := os.ReadFile(files.CAFile)
		if err != nil {
			return nil, fmt.Errorf("read CA certificate: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("read CA certificate %s: no certificate found", files.CAFile)
		}
		cfg.RootCAs = pool
	}
	if files.CertFile != "" || files.KeyFile != "" {
		if files.CertFile == "" || files.KeyFile == "" {
			return nil, errors.New("a TLS client certificate needs both cert.pem and key.pem")
		}
		cert, err := tls.LoadX509KeyPair(files.CertFile, files.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("load TLS client certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg, nil
}

// Capabilities implements engine.Engine: what the negotiated API version
// allows, and where published ports are reached.
func (d *Docker) Capabilities() engine.Capabilities {
	return engine.Capabilities{
		HealthcheckStartInterval: versions.GreaterThanOrEqualTo(d.cli.ClientVersion(), apiHealthcheckStartInterval),
		PortHost:                 daemonHostname(d.host),
	}
}

// daemonHostname is the host on which a daemon publishes ports.
func daemonHostname(host string) string {
	u, err := url.Parse(host)
	if err != nil {
		return "127.0.0.1"
	}
	switch u.Scheme {
	case "tcp", "ssh", "http", "https":
		if h := u.Hostname(); h != "" {
			return h
		}
	}
	return "127.0.0.1"
}

// Host is the daemon address in the form the user configured.
func (d *Docker) Host() string { return d.host }

// Close releases the client's connections.
func (d *Docker) Close() error { return d.cli.Close() }

// Info implements engine.Engine.
func (d *Docker) Info(ctx context.Context) (engine.Info, error) {
	res, err := d.cli.Info(ctx, client.InfoOptions{})
	if err != nil {
		return engine.Info{}, d.wrap(err, "read engine info")
	}
	info := res.Info
	return engine.Info{
		ServerVersion: info.ServerVersion,
		APIVersion:    d.cli.ClientVersion(),
		OS:            info.OSType,
		Arch:          info.Architecture,
		StorageDriver: info.Driver,
		Host:          d.host,
		ID:            info.ID,
	}, nil
}

// wrap adds what was being done to err and maps the daemon's error classes
// onto engine.ErrNotFound / engine.ErrConflict / ErrUnreachable.
func (d *Docker) wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	what := fmt.Sprintf(format, args...)
	switch {
	case isUnreachable(err):
		return fmt.Errorf("%s: %w", what, d.unreachable(err))
	case cerrdefs.IsNotFound(err):
		return fmt.Errorf("%s: %w: %w", what, engine.ErrNotFound, err)
	case cerrdefs.IsConflict(err):
		return fmt.Errorf("%s: %w: %w", what, engine.ErrConflict, err)
	default:
		return fmt.Errorf("%s: %w", what, err)
	}
}

// unreachable explains a failed connection in the user's terms.
func (d *Docker) unreachable(err error) error {
	hint := "check that Docker is running and that DOCKER_HOST / the docker context point at it"
	if strings.HasPrefix(d.host, "ssh://") {
		hint = "check that ssh to that host works without a password prompt and that Docker runs there"
	}
	return fmt.Errorf("%w at %s (%s): %w", ErrUnreachable, d.host, hint, err)
}

func isUnreachable(err error) bool {
	if client.IsErrConnectionFailed(err) {
		return true
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	return false
}
