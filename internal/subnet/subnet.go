// Package subnet allocates free /24 subnets for networks declared with
// subnet = "auto". The allocation is pure: the caller supplies the subnets
// the engine already uses and the ones this instance keeps, so the same
// inputs always give the same answer.
package subnet

import (
	"fmt"
	"net/netip"
	"os"
	"sort"
	"strings"
)

// DefaultPool is the range auto subnets are taken from.
const DefaultPool = "10.201.0.0/16"

// EnvPool names the environment variable that overrides DefaultPool.
const EnvPool = "PROEFTUIN_SUBNET_POOL"

// Bits is the prefix length of every allocated subnet.
const Bits = 24

// Pool returns the configured pool: $PROEFTUIN_SUBNET_POOL or DefaultPool.
func Pool() (netip.Prefix, error) {
	if s := strings.TrimSpace(os.Getenv(EnvPool)); s != "" {
		p, err := ParsePool(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("%s: %w", EnvPool, err)
		}
		return p, nil
	}
	return ParsePool(DefaultPool)
}

// ParsePool parses an IPv4 CIDR that holds at least one /24.
func ParsePool(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("invalid subnet pool %q: want an IPv4 CIDR such as %s", s, DefaultPool)
	}
	if !p.Addr().Is4() {
		return netip.Prefix{}, fmt.Errorf("invalid subnet pool %q: only IPv4 pools are supported", s)
	}
	if p.Bits() > Bits {
		return netip.Prefix{}, fmt.Errorf("invalid subnet pool %q: it must hold at least one /%d (prefix length %d or less)", s, Bits, Bits)
	}
	return p.Masked(), nil
}

// Request is one allocation.
type Request struct {
	// Pool is the range to allocate from.
	Pool netip.Prefix
	// Want names the auto networks that need a subnet.
	Want []string
	// Keep maps auto networks that already exist for this instance to
	// their current subnet; they keep it.
	Keep map[string]string
	// Taken lists the subnets of every network the engine has (any
	// owner) and of explicitly declared networks; unparsable and IPv6
	// entries are ignored.
	Taken []string
	// Start is where the search for a free /24 begins, as an index into
	// the pool (taken modulo its size); the search wraps around. Zero
	// gives the lowest free subnets. Callers that lost a race for a
	// subnet to another process start elsewhere, so that processes
	// racing for the lowest free subnet do not keep colliding.
	Start int
}

// Allocate gives every network in r.Want a subnet: the kept one if there is
// one, else the lowest /24 of the pool that overlaps no taken subnet and no
// other allocation of this call, searching from r.Start. Networks are served in name order so the
// result does not depend on the order of Want.
func Allocate(r Request) (map[string]string, error) {
	out := make(map[string]string, len(r.Want))
	var used []netip.Prefix
	for _, s := range r.Taken {
		if p, err := netip.ParsePrefix(strings.TrimSpace(s)); err == nil && p.Addr().Is4() {
			used = append(used, p.Masked())
		}
	}
	want := append([]string(nil), r.Want...)
	sort.Strings(want)
	var missing []string
	for _, name := range want {
		if _, dup := out[name]; dup {
			continue
		}
		if s, ok := r.Keep[name]; ok && s != "" {
			out[name] = s
			if p, err := netip.ParsePrefix(s); err == nil {
				used = append(used, p.Masked())
			}
			continue
		}
		missing = append(missing, name)
	}
	if len(missing) == 0 {
		return out, nil
	}
	if !r.Pool.IsValid() || !r.Pool.Addr().Is4() || r.Pool.Bits() > Bits {
		return nil, fmt.Errorf("invalid subnet pool %s", r.Pool)
	}
	pool := r.Pool.Masked()
	candidates := 1 << (Bits - pool.Bits())
	start := r.Start % candidates
	if start < 0 {
		start += candidates
	}
	next := 0
	for i, name := range missing {
		found := false
		for ; next < candidates; next++ {
			c := nth(pool, (start+next)%candidates)
			if !overlapsAny(c, used) {
				out[name] = c.String()
				used = append(used, c)
				found = true
				next++
				break
			}
		}
		if !found {
			return nil, &ExhaustedError{Pool: pool, Networks: missing[i:], Size: candidates}
		}
	}
	return out, nil
}

// ExhaustedError says the pool has no free /24 left.
type ExhaustedError struct {
	Pool     netip.Prefix
	Networks []string // the networks left without a subnet
	Size     int      // number of /24s in the pool
}

func (e *ExhaustedError) Error() string {
	return fmt.Sprintf("no free /%d left in subnet pool %s for network %s (all %d are in use by other networks); remove unused networks (docker network prune) or set %s to another range, e.g. 10.202.0.0/16",
		Bits, e.Pool, strings.Join(e.Networks, ", "), e.Size, EnvPool)
}

// nth is the i-th /24 of pool.
func nth(pool netip.Prefix, i int) netip.Prefix {
	b := pool.Addr().As4()
	base := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	v := base + uint32(i)<<(32-Bits)
	a := netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
	return netip.PrefixFrom(a, Bits)
}

func overlapsAny(p netip.Prefix, used []netip.Prefix) bool {
	for _, u := range used {
		if u.Overlaps(p) {
			return true
		}
	}
	return false
}
