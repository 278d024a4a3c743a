package probe

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/proeftuin/proeftuin/internal/phrase"
)

// MaxBody is how much of a response body is read for the expectations.
const MaxBody = 1 << 20

// HTTPSpec is an http probe: one request and expectations on its response.
type HTTPSpec struct {
	URL          string
	Method       string            // default GET
	Headers      map[string]string // request headers
	Body         string            // request body
	Status       int               // expected status; default 200
	BodyContains string
	BodyMatches  string            // regular expression
	Header       map[string]string // expected response headers: value contains
	JSONPath     string            // e.g. "items.0.name"
	JSONEquals   string            // expected value at JSONPath, as text
	Timeout      time.Duration
	Nameservers  []string
}

func (s HTTPSpec) status() int {
	if s.Status == 0 {
		return http.StatusOK
	}
	return s.Status
}

func (s HTTPSpec) method() string {
	if s.Method == "" {
		return http.MethodGet
	}
	return strings.ToUpper(s.Method)
}

// Expected describes the expectation: `HTTP 200, body contains "shop"`.
func (s HTTPSpec) Expected() string {
	parts := []string{fmt.Sprintf("HTTP %d", s.status())}
	if s.BodyContains != "" {
		parts = append(parts, "body contains "+quote(s.BodyContains))
	}
	if s.BodyMatches != "" {
		parts = append(parts, "body matches /"+s.BodyMatches+"/")
	}
	for _, k := range slices.Sorted(maps.Keys(s.Header)) {
		parts = append(parts, fmt.Sprintf("header %s contains %s", http.CanonicalHeaderKey(k), quote(s.Header[k])))
	}
	if s.JSONPath != "" {
		parts = append(parts, fmt.Sprintf("%s = %s", s.JSONPath, quote(s.JSONEquals)))
	}
	return strings.Join(parts, ", ")
}

// ExpectedText is Expected as phrases.
func (s HTTPSpec) ExpectedText() phrase.Text {
	t := phrase.Of(phrase.P("http_status", strconv.Itoa(s.status())))
	if s.BodyContains != "" {
		t = append(t, phrase.P("body_contains", s.BodyContains))
	}
	if s.BodyMatches != "" {
		t = append(t, phrase.P("body_matches", s.BodyMatches))
	}
	for _, k := range slices.Sorted(maps.Keys(s.Header)) {
		t = append(t, phrase.P("header_contains", http.CanonicalHeaderKey(k), s.Header[k]))
	}
	if s.JSONPath != "" {
		t = append(t, phrase.P("json_equals", s.JSONPath, s.JSONEquals))
	}
	return t
}

// HTTP sends one request and evaluates the response. Redirects are not
// followed (the redirect's own status is what is compared), no proxy from
// the environment is used, and TLS certificates are not verified: a probe
// tests a lab's behaviour, and labs use self-signed certificates.
func HTTP(ctx context.Context, spec HTTPSpec) Result {
	var bodyRe *regexp.Regexp
	if spec.BodyMatches != "" {
		re, err := regexp.Compile(spec.BodyMatches)
		if err != nil {
			return Result{Actual: "invalid regular expression /" + spec.BodyMatches + "/", Detail: err.Error()}
		}
		bodyRe = re
	}
	ctx, cancel := timeoutCtx(ctx, spec.Timeout)
	defer cancel()

	var reqBody io.Reader
	if spec.Body != "" {
		reqBody = strings.NewReader(spec.Body)
	}
	req, err := http.NewRequestWithContext(ctx, spec.method(), spec.URL, reqBody)
	if err != nil {
		return Result{Actual: "invalid request", Detail: err.Error()}
	}
	for _, k := range slices.Sorted(maps.Keys(spec.Headers)) {
		if strings.EqualFold(k, "Host") {
			req.Host = spec.Headers[k]
			continue
		}
		req.Header.Set(k, spec.Headers[k])
	}
	dialer := &net.Dialer{Resolver: Resolver(spec.Nameservers)}
	transport := &http.Transport{
		Proxy:               nil,
		DialContext:         dialer.DialContext,
		TLSClientConfig:     &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // see the doc comment
		DisableKeepAlives:   true,
		TLSHandshakeTimeout: 10 * time.Second,
	}
	defer transport.CloseIdleConnections()
	client := &http.Client{
		Transport:     transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Do(req)
	if err != nil {
		return Result{Actual: DescribeError(err), Detail: err.Error(), Text: ErrorText(err)}
	}
	defer func() { _ = resp.Body.Close() }()
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, MaxBody))
	got := fmt.Sprintf("HTTP %d", resp.StatusCode)
	gotText := phrase.P("http_status", strconv.Itoa(resp.StatusCode))
	detail := "body: " + Excerpt(string(body), 300)
	if readErr != nil {
		detail += " (reading the body failed: " + readErr.Error() + ")"
	}

	if resp.StatusCode != spec.status() {
		return Result{Actual: got, Detail: detail, Text: phrase.Of(gotText)}
	}
	bodyWas := phrase.Of(gotText, phrase.P("body_was", Excerpt(string(body), 120)))
	if spec.BodyContains != "" && !bytes.Contains(body, []byte(spec.BodyContains)) {
		return Result{Actual: got + ", body was: " + quote(Excerpt(string(body), 120)), Detail: detail, Text: bodyWas}
	}
	if bodyRe != nil && !bodyRe.Match(body) {
		return Result{Actual: got + ", body was: " + quote(Excerpt(string(body), 120)), Detail: detail, Text: bodyWas}
	}
	for _, k := range slices.Sorted(maps.Keys(spec.Header)) {
		vals := resp.Header.Values(k)
		if len(vals) == 0 {
			return Result{Actual: fmt.Sprintf("%s, no header %s", got, http.CanonicalHeaderKey(k)), Detail: detail,
				Text: phrase.Of(gotText, phrase.P("no_header", http.CanonicalHeaderKey(k)))}
		}
		joined := strings.Join(vals, ", ")
		if !strings.Contains(joined, spec.Header[k]) {
			return Result{Actual: fmt.Sprintf("%s, header %s: %s", got, http.CanonicalHeaderKey(k), quote(Excerpt(joined, 120))), Detail: detail,
				Text: phrase.Of(gotText, phrase.P("header_was", http.CanonicalHeaderKey(k), Excerpt(joined, 120)))}
		}
	}
	if spec.JSONPath != "" {
		val, err := JSONPathValue(body, spec.JSONPath)
		if err != nil {
			return Result{Actual: fmt.Sprintf("%s, %s", got, err), Detail: detail}
		}
		if !jsonTextEqual(val, spec.JSONEquals) {
			return Result{Actual: fmt.Sprintf("%s, %s = %s", got, spec.JSONPath, quote(Excerpt(val, 120))), Detail: detail,
				Text: phrase.Of(gotText, phrase.P("json_equals", spec.JSONPath, Excerpt(val, 120)))}
		}
	}
	return Result{OK: true, Actual: got, Detail: detail, Text: phrase.Of(gotText)}
}

// JSONPathValue returns the value at a simple dotted path ("a.b.0.c":
// object keys and array indexes) of a JSON document, as text: strings
// unquoted, numbers as written, true/false/null, objects and arrays as
// compact JSON. An empty path means the whole document.
func JSONPathValue(doc []byte, path string) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", fmt.Errorf("body is not JSON")
	}
	if path != "" {
		walked := ""
		for _, seg := range strings.Split(path, ".") {
			if walked != "" {
				walked += "."
			}
			walked += seg
			switch cur := v.(type) {
			case map[string]any:
				next, ok := cur[seg]
				if !ok {
					return "", fmt.Errorf("%s not found", walked)
				}
				v = next
			case []any:
				i, err := strconv.Atoi(seg)
				if err != nil || i < 0 || i >= len(cur) {
					return "", fmt.Errorf("%s not found (array of %d)", walked, len(cur))
				}
				v = cur[i]
			default:
				return "", fmt.Errorf("%s not found", walked)
			}
		}
	}
	switch x := v.(type) {
	case string:
		return x, nil
	case json.Number:
		return x.String(), nil
	case bool:
		return strconv.FormatBool(x), nil
	case nil:
		return "null", nil
	default:
		b, err := json.Marshal(x)
		if err != nil {
			return "", err
		}
		return string(b), nil
	}
}

// jsonTextEqual compares a value from JSONPathValue with the expected text;
// numbers compare by value, so "1.0" equals "1".
func jsonTextEqual(got, want string) bool {
	if got == want {
		return true
	}
	g, err1 := strconv.ParseFloat(got, 64)
	w, err2 := strconv.ParseFloat(strings.TrimSpace(want), 64)
	return err1 == nil && err2 == nil && g == w
}
