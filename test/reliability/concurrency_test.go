//go:build reliability

package reliability

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestTenInstances brings up ten instances of one lab (--name s01..s10)
// as ten processes at once on one engine: all get ready, their auto
// subnets and fixed addresses do not collide, and down removes them all.
// Two `up` of the same instance at once is test/e2e's
// TestConcurrentUpSameInstance (the second waits for the instance lock).
func TestTenInstances(t *testing.T) {
	needEngine(t)
	t.Parallel()
	dir := labDir(t, "pair")
	base := instanceName(t, "")
	var names []string
	for i := 1; i <= 10; i++ {
		name := fmt.Sprintf("%s-s%02d", base, i)
		names = append(names, name)
		t.Cleanup(func() { cleanupInstance(t, name) })
	}
	each := func(args ...string) []result {
		res := make([]result, len(names))
		var wg sync.WaitGroup
		for i, n := range names {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res[i] = do(t, invocation{dir: dir, args: append([]string{"--name", n}, args...), limit: 10 * time.Minute})
			}()
		}
		wg.Wait()
		return res
	}
	start := time.Now()
	ups := each("up")
	t.Logf("ten concurrent ups took %s", time.Since(start).Round(time.Millisecond))
	retried := 0
	for i, r := range ups {
		if r.Code != 0 {
			t.Errorf("up %s:\n%s", names[i], r)
		}
		if strings.Contains(r.Stderr, "allocating again") {
			retried++
		}
	}
	t.Logf("%d of 10 ups allocated a subnet again after the engine refused an overlapping one", retried)
	subnets := map[string]string{}
	addrs := map[string]string{}
	for _, n := range names {
		st := status(t, dir, "--name", n)
		for _, nw := range st.Networks {
			for _, s := range nw.Subnets {
				if other, ok := subnets[s]; ok {
					t.Errorf("subnet %s used by %s and %s", s, other, n)
				}
				subnets[s] = n
			}
		}
		for _, s := range st.Services {
			if s.State != "running" {
				t.Errorf("%s: service %s is %s", n, s.Name, s.State)
			}
			if s.Name == "web" {
				for _, ep := range s.Networks {
					if other, ok := addrs[ep.Address]; ok {
						t.Errorf("address %s used by %s and %s", ep.Address, other, n)
					}
					addrs[ep.Address] = n
				}
			}
		}
	}
	if len(subnets) != 10 {
		t.Errorf("%d distinct subnets for ten instances: %v", len(subnets), subnets)
	}
	for i, r := range each("down", "--volumes") {
		if r.Code != 0 {
			t.Errorf("down %s:\n%s", names[i], r)
		}
	}
	for _, n := range names {
		if left := leftovers(t, n); len(left) > 0 {
			t.Errorf("%s left behind: %s", n, strings.Join(left, ", "))
		}
	}
}
