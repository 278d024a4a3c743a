package subnet

import (
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"
)

func TestAllocate(t *testing.T) {
	pool := netip.MustParsePrefix("10.201.0.0/16")
	tests := []struct {
		name string
		req  Request
		want map[string]string
	}{
		{
			name: "empty engine",
			req:  Request{Pool: pool, Want: []string{"b", "a"}},
			want: map[string]string{"a": "10.201.0.0/24", "b": "10.201.1.0/24"},
		},
		{
			name: "skips taken and overlapping",
			req: Request{Pool: pool, Want: []string{"a", "b"}, Taken: []string{
				"10.201.0.0/24", "10.201.1.128/25", "172.17.0.0/16", "fd00::/64", "garbage",
			}},
			want: map[string]string{"a": "10.201.2.0/24", "b": "10.201.3.0/24"},
		},
		{
			name: "a taken supernet covers the pool start",
			req:  Request{Pool: pool, Want: []string{"a"}, Taken: []string{"10.201.0.0/22"}},
			want: map[string]string{"a": "10.201.4.0/24"},
		},
		{
			name: "kept subnet is reused and not handed out again",
			req: Request{Pool: pool, Want: []string{"a", "b"},
				Keep: map[string]string{"b": "10.201.0.0/24"}},
			want: map[string]string{"a": "10.201.1.0/24", "b": "10.201.0.0/24"},
		},
		{
			name: "kept outside the pool stays",
			req:  Request{Pool: pool, Want: []string{"a"}, Keep: map[string]string{"a": "192.168.5.0/24"}},
			want: map[string]string{"a": "192.168.5.0/24"},
		},
		{
			name: "start offset",
			req:  Request{Pool: pool, Want: []string{"a", "b"}, Start: 40, Taken: []string{"10.201.40.0/24"}},
			want: map[string]string{"a": "10.201.41.0/24", "b": "10.201.42.0/24"},
		},
		{
			name: "start wraps around the pool end",
			req:  Request{Pool: pool, Want: []string{"a", "b"}, Start: 256*3 - 1},
			want: map[string]string{"a": "10.201.255.0/24", "b": "10.201.0.0/24"},
		},
		{
			name: "negative start counts from the end",
			req:  Request{Pool: pool, Want: []string{"a"}, Start: -2},
			want: map[string]string{"a": "10.201.254.0/24"},
		},
		{
			name: "nothing wanted",
			req:  Request{Pool: pool},
			want: map[string]string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Allocate(tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAllocateOrderIndependent(t *testing.T) {
	pool := netip.MustParsePrefix("10.201.0.0/16")
	a, _ := Allocate(Request{Pool: pool, Want: []string{"x", "y", "z"}})
	b, _ := Allocate(Request{Pool: pool, Want: []string{"z", "x", "y"}})
	if !reflect.DeepEqual(a, b) {
		t.Errorf("order changed the result: %v vs %v", a, b)
	}
}

func TestAllocateExhaustedFromAnyStart(t *testing.T) {
	pool := netip.MustParsePrefix("10.201.0.0/23")
	for _, start := range []int{0, 1, 7} {
		got, err := Allocate(Request{Pool: pool, Want: []string{"a", "b"}, Start: start, Taken: []string{"10.201.1.0/24"}})
		var ex *ExhaustedError
		if !errors.As(err, &ex) || !reflect.DeepEqual(ex.Networks, []string{"b"}) {
			t.Errorf("start %d: got %v, %v; want b left without a subnet", start, got, err)
		}
	}
}

func TestAllocateExhausted(t *testing.T) {
	pool := netip.MustParsePrefix("10.201.0.0/23") // two /24s
	_, err := Allocate(Request{Pool: pool, Want: []string{"a", "b", "c"}, Taken: []string{"10.201.0.0/24"}})
	var ex *ExhaustedError
	if !errors.As(err, &ex) {
		t.Fatalf("want ExhaustedError, got %v", err)
	}
	if !reflect.DeepEqual(ex.Networks, []string{"b", "c"}) {
		t.Errorf("networks left: %v", ex.Networks)
	}
	for _, s := range []string{"10.201.0.0/23", "b, c", EnvPool} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q lacks %q", err, s)
		}
	}
}

func TestParsePool(t *testing.T) {
	for _, tc := range []struct {
		in, want, err string
	}{
		{in: "10.201.0.0/16", want: "10.201.0.0/16"},
		{in: " 10.5.3.0/20 ", want: "10.5.0.0/20"},
		{in: "10.0.0.0/24", want: "10.0.0.0/24"},
		{in: "10.0.0.0/25", err: "at least one /24"},
		{in: "fd00::/48", err: "only IPv4"},
		{in: "nope", err: "invalid subnet pool"},
	} {
		got, err := ParsePool(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParsePool(%q) error = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got.String() != tc.want {
			t.Errorf("ParsePool(%q) = %v, %v; want %s", tc.in, got, err, tc.want)
		}
	}
}

func TestPoolFromEnvironment(t *testing.T) {
	t.Setenv(EnvPool, "")
	p, err := Pool()
	if err != nil || p.String() != DefaultPool {
		t.Fatalf("default pool = %v, %v", p, err)
	}
	t.Setenv(EnvPool, "10.77.0.0/16")
	p, err = Pool()
	if err != nil || p.String() != "10.77.0.0/16" {
		t.Fatalf("pool = %v, %v", p, err)
	}
	t.Setenv(EnvPool, "bad")
	if _, err := Pool(); err == nil || !strings.Contains(err.Error(), EnvPool) {
		t.Fatalf("want error naming %s, got %v", EnvPool, err)
	}
}
