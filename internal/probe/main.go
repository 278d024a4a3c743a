package probe

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"
)

// Exit codes of Main.
const (
	ExitOK      = 0 // the expectation holds (or serve ended by a signal)
	ExitFailed  = 1 // the expectation does not hold; the result was printed
	ExitInvalid = 2 // usage error
)

const usage = `usage: proeftuin probe <kind> [flags]

The in-container side of checks run "from" a service; proeftuin runs it in a
probe sidecar that shares the service's network namespace.

kinds:
  serve | sleep   wait until stopped (the sidecar's main process)
  tcp             --address HOST:PORT [--reachable=false]
  http            --url URL [--method M] [--header 'K: V']... [--body B]
                  [--status N] [--body-contains S] [--body-matches RE]
                  [--expect-header 'K: V']... [--json-path P --json-equals V]
  dns             --name NAME [--address IP] [--resolves=false]
  netem           --delay D [--jitter D] [--loss PERCENT]   (fault exercises; needs NET_ADMIN)
  block           --port N [--protocol tcp|udp]            (fault exercises; needs NET_ADMIN)
  netsetup        [--link ADDR=NAME[@MAC]]... [--no-default-route] [--route PREFIX,NEXTHOP]...
                  [--address NAME=ADDR/BITS]...
                  (interface names, MACs and routes at start; needs NET_ADMIN)
  veth            --name N --peer-name P --address ADDR/BITS
                  (a point-to-point link to the namespace of process 1; needs NET_ADMIN)

common flags:
  --json               print one JSON line {"ok","actual","detail"}
  --timeout DURATION   bound the probe (default 5s)
  --nameserver IP[:PORT]  resolve names here (repeatable); default: Go's resolver
`

// Main runs `proeftuin probe <args>` and returns the exit code. args start
// with the kind. It needs no files, no shell and no cgo.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return ExitInvalid
	}
	kind, rest := args[0], args[1:]
	switch kind {
	case "serve", "sleep":
		return serve(ctx)
	case "netem", "block":
		return netFault(kind, rest, stdout, stderr)
	case "netsetup":
		return netSetup(rest, stdout, stderr)
	case "veth":
		return vethCommand(rest, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return ExitOK
	case "tcp", "http", "dns":
	default:
		fmt.Fprintf(stderr, "proeftuin probe: unknown kind %q\n\n%s", kind, usage)
		return ExitInvalid
	}

	fs := flag.NewFlagSet("probe "+kind, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	asJSON := fs.Bool("json", false, "")
	timeout := fs.Duration("timeout", DefaultTimeout, "")
	var nameservers listFlag
	fs.Var(&nameservers, "nameserver", "")

	var run func() Result
	switch kind {
	case "tcp":
		var s TCPSpec
		fs.StringVar(&s.Address, "address", "", "")
		fs.BoolVar(&s.Reachable, "reachable", true, "")
		run = func() Result {
			if s.Address == "" {
				return usageResult("--address is required")
			}
			s.Timeout, s.Nameservers = *timeout, nameservers
			return TCP(ctx, s)
		}
	case "http":
		var s HTTPSpec
		var headers, expectHeaders listFlag
		fs.StringVar(&s.URL, "url", "", "")
		fs.StringVar(&s.Method, "method", "", "")
		fs.Var(&headers, "header", "")
		fs.StringVar(&s.Body, "body", "", "")
		fs.IntVar(&s.Status, "status", 0, "")
		fs.StringVar(&s.BodyContains, "body-contains", "", "")
		fs.StringVar(&s.BodyMatches, "body-matches", "", "")
		fs.Var(&expectHeaders, "expect-header", "")
		fs.StringVar(&s.JSONPath, "json-path", "", "")
		fs.StringVar(&s.JSONEquals, "json-equals", "", "")
		run = func() Result {
			if s.URL == "" {
				return usageResult("--url is required")
			}
			var err error
			if s.Headers, err = headerMap(headers); err != nil {
				return usageResult(err.Error())
			}
			if s.Header, err = headerMap(expectHeaders); err != nil {
				return usageResult(err.Error())
			}
			s.Timeout, s.Nameservers = *timeout, nameservers
			return HTTP(ctx, s)
		}
	case "dns":
		var s DNSSpec
		fs.StringVar(&s.Name, "name", "", "")
		fs.StringVar(&s.Address, "address", "", "")
		fs.BoolVar(&s.Resolves, "resolves", true, "")
		run = func() Result {
			if s.Name == "" {
				return usageResult("--name is required")
			}
			s.Timeout, s.Nameservers = *timeout, nameservers
			return DNS(ctx, s)
		}
	}
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitInvalid
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "proeftuin probe %s: unexpected argument %q\n", kind, fs.Arg(0))
		return ExitInvalid
	}
	res := run()
	if res.Actual == usageMarker {
		fmt.Fprintf(stderr, "proeftuin probe %s: %s\n", kind, res.Detail)
		return ExitInvalid
	}
	if *asJSON {
		b, _ := json.Marshal(res)
		fmt.Fprintf(stdout, "%s\n", b)
	} else {
		verdict := "ok"
		if !res.OK {
			verdict = "FAILED"
		}
		fmt.Fprintf(stdout, "%s: %s\n", verdict, res.Actual)
		if res.Detail != "" {
			fmt.Fprintf(stdout, "  %s\n", res.Detail)
		}
	}
	if !res.OK {
		return ExitFailed
	}
	return ExitOK
}

// serve blocks until SIGTERM/SIGINT or ctx ends. As PID 1 in a container a
// process gets no default signal handling, so the handler matters.
func serve(ctx context.Context) int {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, syscall.SIGINT, os.Interrupt)
	defer stop()
	<-ctx.Done()
	return ExitOK
}

const usageMarker = "\x00usage"

func usageResult(msg string) Result { return Result{Actual: usageMarker, Detail: msg} }

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// headerMap parses "Name: value" (or "Name=value") items.
func headerMap(items []string) (map[string]string, error) {
	if len(items) == 0 {
		return nil, nil
	}
	m := make(map[string]string, len(items))
	for _, it := range items {
		i := strings.IndexAny(it, ":=")
		if i <= 0 {
			return nil, fmt.Errorf("header %q: want 'Name: value'", it)
		}
		m[strings.TrimSpace(it[:i])] = strings.TrimSpace(it[i+1:])
	}
	return m, nil
}

// Args renders the flags of a probe for Main, the inverse of its parsing.
// The check side uses it to build the exec command in the sidecar.
func (s TCPSpec) Args() []string {
	a := []string{"tcp", "--json", "--address", s.Address, fmt.Sprintf("--reachable=%t", s.Reachable)}
	return append(a, commonArgs(s.Timeout, s.Nameservers)...)
}

// Args renders the flags of a probe for Main.
func (s HTTPSpec) Args() []string {
	a := []string{"http", "--json", "--url", s.URL}
	if s.Method != "" {
		a = append(a, "--method", s.Method)
	}
	for _, k := range slices.Sorted(maps.Keys(s.Headers)) {
		a = append(a, "--header", k+": "+s.Headers[k])
	}
	if s.Body != "" {
		a = append(a, "--body", s.Body)
	}
	if s.Status != 0 {
		a = append(a, "--status", fmt.Sprint(s.Status))
	}
	if s.BodyContains != "" {
		a = append(a, "--body-contains", s.BodyContains)
	}
	if s.BodyMatches != "" {
		a = append(a, "--body-matches", s.BodyMatches)
	}
	for _, k := range slices.Sorted(maps.Keys(s.Header)) {
		a = append(a, "--expect-header", k+": "+s.Header[k])
	}
	if s.JSONPath != "" {
		a = append(a, "--json-path", s.JSONPath, "--json-equals", s.JSONEquals)
	}
	return append(a, commonArgs(s.Timeout, s.Nameservers)...)
}

// Args renders the flags of a probe for Main.
func (s DNSSpec) Args() []string {
	a := []string{"dns", "--json", "--name", s.Name, fmt.Sprintf("--resolves=%t", s.Resolves)}
	if s.Address != "" {
		a = append(a, "--address", s.Address)
	}
	return append(a, commonArgs(s.Timeout, s.Nameservers)...)
}

func commonArgs(timeout time.Duration, nameservers []string) []string {
	var a []string
	if timeout > 0 {
		a = append(a, "--timeout", timeout.String())
	}
	for _, ns := range nameservers {
		a = append(a, "--nameserver", ns)
	}
	return a
}
