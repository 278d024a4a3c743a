package probe

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// closedPort returns a 127.0.0.1 address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

func TestTCP(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			_ = c.Close()
		}
	}()
	closed := closedPort(t)
	ctx := context.Background()

	tests := []struct {
		name   string
		spec   TCPSpec
		ok     bool
		actual string
	}{
		{"open reachable", TCPSpec{Address: l.Addr().String(), Reachable: true}, true, "reachable"},
		{"open not reachable", TCPSpec{Address: l.Addr().String(), Reachable: false}, false, "reachable"},
		{"closed reachable", TCPSpec{Address: closed, Reachable: true}, false, "connection refused"},
		{"closed not reachable", TCPSpec{Address: closed, Reachable: false}, true, "connection refused"},
		{"bad address", TCPSpec{Address: "nope", Reachable: false}, false, `invalid address "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := TCP(ctx, tt.spec)
			if r.OK != tt.ok || r.Actual != tt.actual {
				t.Fatalf("got %+v, want ok=%v actual=%q", r, tt.ok, tt.actual)
			}
		})
	}
	if got := (TCPSpec{Reachable: false}).Expected(); got != "not reachable" {
		t.Errorf("Expected() = %q", got)
	}
}

func TestTCPNameViaNameserver(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			_ = c.Close()
		}
	}()
	ns := startDNS(t, map[string]string{"db.lab.": "127.0.0.1"})
	_, port, _ := net.SplitHostPort(l.Addr().String())
	r := TCP(context.Background(), TCPSpec{Address: "db.lab:" + port, Reachable: true, Nameservers: []string{ns}})
	if !r.OK || r.Actual != "reachable" {
		t.Fatalf("got %+v", r)
	}
	r = TCP(context.Background(), TCPSpec{Address: "nope.lab:" + port, Reachable: false, Nameservers: []string{ns}})
	if !r.OK || r.Actual != "no such host nope.lab" {
		t.Fatalf("got %+v", r)
	}
}

func TestHTTP(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("X-Shop", "bakkerij jansen")
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"shop":"jansen","items":[{"name":"brood","price":2.50},{"name":"koek","stock":true}],"n":null}`)
		case "/echo":
			if r.Method != http.MethodPost || r.Header.Get("X-Token") != "abc" {
				w.WriteHeader(http.StatusForbidden)
				return
			}
			var buf bytes.Buffer
			_, _ = buf.ReadFrom(r.Body)
			fmt.Fprintf(w, "echo:%s", buf.String())
		case "/down":
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, "maintenance")
		case "/redirect":
			http.Redirect(w, r, "http://example.invalid/", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	u := srv.URL

	tests := []struct {
		name     string
		spec     HTTPSpec
		ok       bool
		actual   string
		expected string
	}{
		{"status ok", HTTPSpec{URL: u + "/"}, true, "HTTP 200", "HTTP 200"},
		{"status mismatch", HTTPSpec{URL: u + "/down"}, false, "HTTP 503", "HTTP 200"},
		{"expect 503", HTTPSpec{URL: u + "/down", Status: 503, BodyContains: "maint"}, true, "HTTP 503", `HTTP 503, body contains "maint"`},
		{"body contains", HTTPSpec{URL: u + "/", BodyContains: "jansen"}, true, "HTTP 200", `HTTP 200, body contains "jansen"`},
		{"body missing", HTTPSpec{URL: u + "/down", Status: 503, BodyContains: "open"}, false, `HTTP 503, body was: "maintenance"`, `HTTP 503, body contains "open"`},
		{"body matches", HTTPSpec{URL: u + "/", BodyMatches: `"price":\s*2\.5`}, true, "HTTP 200", `HTTP 200, body matches /"price":\s*2\.5/`},
		{"body no match", HTTPSpec{URL: u + "/down", Status: 503, BodyMatches: `^open`}, false, `HTTP 503, body was: "maintenance"`, `HTTP 503, body matches /^open/`},
		{"bad regex", HTTPSpec{URL: u + "/", BodyMatches: `(`}, false, "invalid regular expression /(/", ""},
		{"header", HTTPSpec{URL: u + "/", Header: map[string]string{"x-shop": "jansen"}}, true, "HTTP 200", `HTTP 200, header X-Shop contains "jansen"`},
		{"header wrong", HTTPSpec{URL: u + "/", Header: map[string]string{"X-Shop": "bakker de vries"}}, false, `HTTP 200, header X-Shop: "bakkerij jansen"`, ""},
		{"header absent", HTTPSpec{URL: u + "/", Header: map[string]string{"X-Other": "x"}}, false, "HTTP 200, no header X-Other", ""},
		{"json string", HTTPSpec{URL: u + "/", JSONPath: "items.0.name", JSONEquals: "brood"}, true, "HTTP 200", `HTTP 200, items.0.name = "brood"`},
		{"json number", HTTPSpec{URL: u + "/", JSONPath: "items.0.price", JSONEquals: "2.5"}, true, "HTTP 200", ""},
		{"json bool", HTTPSpec{URL: u + "/", JSONPath: "items.1.stock", JSONEquals: "true"}, true, "HTTP 200", ""},
		{"json null", HTTPSpec{URL: u + "/", JSONPath: "n", JSONEquals: "null"}, true, "HTTP 200", ""},
		{"json wrong", HTTPSpec{URL: u + "/", JSONPath: "items.1.name", JSONEquals: "brood"}, false, `HTTP 200, items.1.name = "koek"`, ""},
		{"json missing", HTTPSpec{URL: u + "/", JSONPath: "items.5.name", JSONEquals: "x"}, false, "HTTP 200, items.5 not found (array of 2)", ""},
		{"json not json", HTTPSpec{URL: u + "/down", Status: 503, JSONPath: "a", JSONEquals: "x"}, false, "HTTP 503, body is not JSON", ""},
		{"post with headers", HTTPSpec{URL: u + "/echo", Method: "post", Headers: map[string]string{"X-Token": "abc"}, Body: "hallo", BodyContains: "echo:hallo"}, true, "HTTP 200", ""},
		{"post without token", HTTPSpec{URL: u + "/echo", Method: "POST", Body: "hallo"}, false, "HTTP 403", ""},
		{"redirect not followed", HTTPSpec{URL: u + "/redirect", Status: 302}, true, "HTTP 302", ""},
		{"refused", HTTPSpec{URL: "http://" + closedPort(t) + "/"}, false, "connection refused", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := HTTP(ctx, tt.spec)
			if r.OK != tt.ok || r.Actual != tt.actual {
				t.Fatalf("got %+v, want ok=%v actual=%q", r, tt.ok, tt.actual)
			}
			if tt.expected != "" {
				if got := tt.spec.Expected(); got != tt.expected {
					t.Fatalf("Expected() = %q, want %q", got, tt.expected)
				}
			}
		})
	}
}

func TestHTTPTimeout(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)
	start := time.Now()
	r := HTTP(context.Background(), HTTPSpec{URL: srv.URL, Timeout: 200 * time.Millisecond})
	if r.OK || r.Actual != "timed out" {
		t.Fatalf("got %+v", r)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("took %v", d)
	}
}

func TestJSONPathValue(t *testing.T) {
	doc := []byte(`{"a":{"b":[{"c":1},{"c":"x","d":{"e":[1,2]}}]}}`)
	for path, want := range map[string]string{
		"a.b.0.c": "1",
		"a.b.1.c": "x",
		"a.b.1.d": `{"e":[1,2]}`,
		"":        `{"a":{"b":[{"c":1},{"c":"x","d":{"e":[1,2]}}]}}`,
	} {
		got, err := JSONPathValue(doc, path)
		if err != nil || got != want {
			t.Errorf("%q: got %q, %v; want %q", path, got, err, want)
		}
	}
	if _, err := JSONPathValue(doc, "a.x"); err == nil || err.Error() != "a.x not found" {
		t.Errorf("a.x: %v", err)
	}
	if _, err := JSONPathValue(doc, "a.b.0.c.d"); err == nil || err.Error() != "a.b.0.c.d not found" {
		t.Errorf("a.b.0.c.d: %v", err)
	}
}

func TestDNS(t *testing.T) {
	ns := startDNS(t, map[string]string{
		"db.lab.":  "10.1.2.3",
		"web.lab.": "10.1.2.4",
	})
	ctx := context.Background()
	tests := []struct {
		name     string
		spec     DNSSpec
		ok       bool
		actual   string
		expected string
	}{
		{"resolves", DNSSpec{Name: "db.lab", Resolves: true}, true, "resolves to 10.1.2.3", "db.lab resolves"},
		{"resolves to", DNSSpec{Name: "db.lab", Address: "10.1.2.3", Resolves: true}, true, "resolves to 10.1.2.3", "db.lab resolves to 10.1.2.3"},
		{"resolves elsewhere", DNSSpec{Name: "web.lab", Address: "10.1.2.3", Resolves: true}, false, "resolves to 10.1.2.4", ""},
		{"unknown", DNSSpec{Name: "nope.lab", Resolves: true}, false, "does not resolve (no such host)", ""},
		{"unknown expected", DNSSpec{Name: "nope.lab", Resolves: false}, true, "does not resolve (no such host)", "nope.lab does not resolve"},
		{"known not expected", DNSSpec{Name: "db.lab", Resolves: false}, false, "resolves to 10.1.2.3", ""},
		{"bad address", DNSSpec{Name: "db.lab", Address: "ten", Resolves: true}, false, `invalid expected address "ten"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.spec.Nameservers = []string{ns}
			r := DNS(ctx, tt.spec)
			if r.OK != tt.ok || r.Actual != tt.actual {
				t.Fatalf("got %+v, want ok=%v actual=%q", r, tt.ok, tt.actual)
			}
			if tt.expected != "" {
				if got := tt.spec.Expected(); got != tt.expected {
					t.Fatalf("Expected() = %q, want %q", got, tt.expected)
				}
			}
		})
	}
}

func TestDNSServerDown(t *testing.T) {
	// A UDP port nobody answers on: neither outcome may be claimed.
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close() // bound but silent
	r := DNS(context.Background(), DNSSpec{Name: "db.lab", Resolves: false, Timeout: 300 * time.Millisecond, Nameservers: []string{pc.LocalAddr().String()}})
	if r.OK || !strings.HasPrefix(r.Actual, "lookup failed") {
		t.Fatalf("got %+v", r)
	}
}

func TestParseResolvConf(t *testing.T) {
	got := ParseResolvConf([]byte("# Docker\nsearch lab\nnameserver 127.0.0.11\nnameserver fe80::1%eth0 # x\nnameserver bogus\noptions ndots:0\n"))
	if strings.Join(got, " ") != "127.0.0.11 fe80::1" {
		t.Fatalf("got %q", got)
	}
	for in, want := range map[string]string{"127.0.0.11": "127.0.0.11:53", "::1": "[::1]:53", "[::1]:5353": "[::1]:5353", "1.2.3.4:5300": "1.2.3.4:5300"} {
		if got := NameserverAddr(in); got != want {
			t.Errorf("NameserverAddr(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMain_CLI(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-A", r.Header.Get("X-In"))
		fmt.Fprint(w, `{"ok":"yes"}`)
	}))
	defer srv.Close()
	ns := startDNS(t, map[string]string{"db.lab.": "10.9.8.7"})
	ctx := context.Background()

	run := func(args ...string) (int, Result, string) {
		var out, errb bytes.Buffer
		code := Main(ctx, args, &out, &errb)
		var r Result
		if out.Len() > 0 && strings.HasPrefix(out.String(), "{") {
			if err := json.Unmarshal(out.Bytes(), &r); err != nil {
				t.Fatalf("bad JSON %q: %v", out.String(), err)
			}
		}
		return code, r, errb.String()
	}

	spec := HTTPSpec{URL: srv.URL, Headers: map[string]string{"X-In": "v=1"}, Header: map[string]string{"X-A": "v=1"}, JSONPath: "ok", JSONEquals: "yes", Timeout: 2 * time.Second}
	if code, r, stderr := run(spec.Args()...); code != ExitOK || !r.OK || r.Actual != "HTTP 200" {
		t.Fatalf("http: %d %+v %s", code, r, stderr)
	}
	spec.Status = 404
	if code, r, _ := run(spec.Args()...); code != ExitFailed || r.OK || r.Actual != "HTTP 200" {
		t.Fatalf("http 404: %d %+v", code, r)
	}
	if code, r, _ := run(TCPSpec{Address: closedPort(t), Reachable: false}.Args()...); code != ExitOK || !r.OK || r.Actual != "connection refused" {
		t.Fatalf("tcp: %d %+v", code, r)
	}
	if code, r, _ := run(DNSSpec{Name: "db.lab", Address: "10.9.8.7", Resolves: true, Nameservers: []string{ns}}.Args()...); code != ExitOK || !r.OK {
		t.Fatalf("dns: %d %+v", code, r)
	}
	if code, _, _ := run("tcp", "--json"); code != ExitInvalid {
		t.Fatalf("missing address: %d", code)
	}
	if code, _, _ := run("bogus"); code != ExitInvalid {
		t.Fatalf("bogus kind: %d", code)
	}
	if code, _, _ := run("http", "--url", srv.URL, "extra"); code != ExitInvalid {
		t.Fatalf("extra arg: %d", code)
	}

	// serve returns when its context ends.
	sctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if code := Main(sctx, []string{"serve"}, &bytes.Buffer{}, &bytes.Buffer{}); code != ExitOK {
		t.Fatalf("serve: %d", code)
	}
}

// startDNS runs a minimal UDP DNS responder on 127.0.0.1 answering A
// queries for the given fully qualified names; other A/AAAA queries for
// known names get an empty answer, unknown names NXDOMAIN. It returns its
// address.
func startDNS(t *testing.T, records map[string]string) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pc.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, addr, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if resp := dnsAnswer(buf[:n], records); resp != nil {
				_, _ = pc.WriteTo(resp, addr)
			}
		}
	}()
	return pc.LocalAddr().String()
}

func dnsAnswer(q []byte, records map[string]string) []byte {
	if len(q) < 12 || binary.BigEndian.Uint16(q[4:6]) != 1 {
		return nil
	}
	// Question name.
	var labels []string
	i := 12
	for {
		if i >= len(q) {
			return nil
		}
		l := int(q[i])
		i++
		if l == 0 {
			break
		}
		if l&0xC0 != 0 || i+l > len(q) {
			return nil
		}
		labels = append(labels, strings.ToLower(string(q[i:i+l])))
		i += l
	}
	if i+4 > len(q) {
		return nil
	}
	qtype := binary.BigEndian.Uint16(q[i : i+2])
	question := q[12 : i+4]
	name := strings.Join(labels, ".") + "."

	ip, known := records[name]
	var answer []byte
	rcode := byte(0)
	switch {
	case !known:
		rcode = 3 // NXDOMAIN
	case qtype == 1: // A
		a := net.ParseIP(ip).To4()
		answer = append(answer, 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4)
		answer = append(answer, a...)
	}
	resp := make([]byte, 12, 12+len(question)+len(answer))
	copy(resp[0:2], q[0:2])
	resp[2] = 0x80 | 0x04 | (q[2] & 0x01) // QR, AA, RD copied
	resp[3] = 0x80 | rcode                // RA
	binary.BigEndian.PutUint16(resp[4:6], 1)
	if len(answer) > 0 {
		binary.BigEndian.PutUint16(resp[6:8], 1)
	}
	resp = append(resp, question...)
	return append(resp, answer...)
}
