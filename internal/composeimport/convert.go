package composeimport

import (
	"fmt"
	"net/netip"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// converter writes a compose project as proeftuin blocks into body and
// notes what it could not carry.
type converter struct {
	p     *types.Project
	out   string // the lab folder, for relative paths
	lines map[string]int
	body  *hclwrite.Body
	notes []Note
	// healthyDeps are the services others wait for with service_healthy:
	// their ready block waits for Docker's health status.
	healthyDeps map[string]bool
}

func (c *converter) note(path, why string) {
	c.notes = append(c.notes, Note{Key: path, Line: c.line(path), Reason: why})
}

// line is the line of path, or of its nearest ancestor that has one.
func (c *converter) line(path string) int {
	for p := path; p != ""; {
		if l, ok := c.lines[p]; ok {
			return l
		}
		i := strings.LastIndex(p, ".")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return 0
}

// rel gives path relative to the lab folder, and notes a path outside it.
func (c *converter) rel(path, key string) string {
	r, err := filepath.Rel(c.out, path)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		c.note(key, fmt.Sprintf("%s is outside the lab folder %s; copy it into the lab folder and correct the path", path, c.out))
		return filepath.ToSlash(path)
	}
	return filepath.ToSlash(r)
}

// ordered returns names sorted by their line under prefix in the file.
func (c *converter) ordered(prefix string, names []string) []string {
	sort.SliceStable(names, func(i, j int) bool {
		li, lj := c.lines[prefix+"."+names[i]], c.lines[prefix+"."+names[j]]
		if li != lj {
			return li < lj
		}
		return names[i] < names[j]
	})
	return names
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func str(s string) cty.Value { return cty.StringVal(s) }

func strList(list []string) cty.Value {
	if len(list) == 0 {
		return cty.ListValEmpty(cty.String)
	}
	vals := make([]cty.Value, len(list))
	for i, s := range list {
		vals[i] = str(s)
	}
	return cty.ListVal(vals)
}

func strMap(m map[string]string) cty.Value {
	if len(m) == 0 {
		return cty.MapValEmpty(cty.String)
	}
	vals := map[string]cty.Value{}
	for k, v := range m {
		vals[k] = str(v)
	}
	return cty.MapVal(vals)
}

func duration(d *types.Duration) string {
	return time.Duration(*d).String()
}

// ref writes name = <root>.<name> style references (a list of them).
func refList(root string, names []string) hclwrite.Tokens {
	var toks hclwrite.Tokens
	toks = append(toks, &hclwrite.Token{Type: hclsynTokenOBrack, Bytes: []byte("[")})
	for i, n := range names {
		if i > 0 {
			toks = append(toks, &hclwrite.Token{Type: hclsynTokenComma, Bytes: []byte(", ")})
		}
		toks = append(toks, hclwrite.TokensForTraversal(hcl.Traversal{hcl.TraverseRoot{Name: root}, hcl.TraverseAttr{Name: n}})...)
	}
	return append(toks, &hclwrite.Token{Type: hclsynTokenCBrack, Bytes: []byte("]")})
}

func (c *converter) networks() {
	for _, name := range c.ordered("networks", keysOf(c.p.Networks)) {
		n := c.p.Networks[name]
		if name == "default" && !c.defaultUsedExplicitly() {
			continue
		}
		key := "networks." + name
		if n.Driver != "" && n.Driver != "bridge" {
			c.note(key+".driver", fmt.Sprintf("driver %q: only the bridge driver is used", n.Driver))
		}
		b := c.body.AppendNewBlock("network", []string{name}).Body()
		if n.Internal {
			b.SetAttributeValue("internal", cty.True)
		}
		c.ipam(b, n, key)
	}
}

// ipam carries a network's first IPv4 pool (subnet, gateway) and, with
// enable_ipv6, its first IPv6 pool (subnet6; the engine's gateway).
func (c *converter) ipam(b *hclwrite.Body, n types.NetworkConfig, key string) {
	var v4, v6 int
	for _, pool := range n.Ipam.Config {
		p, err := netip.ParsePrefix(pool.Subnet)
		switch {
		case err == nil && p.Addr().Is6() && (n.EnableIPv6 == nil || !*n.EnableIPv6):
			c.note(key+".ipam.config", "an IPv6 subnet without enable_ipv6: true is not used by compose either")
		case err == nil && p.Addr().Is6() && v6 == 0:
			v6++
			b.SetAttributeValue("subnet6", str(pool.Subnet))
			if pool.Gateway != "" {
				c.note(key+".ipam.config", "an IPv6 gateway is not carried: the engine takes the prefix's first address")
			}
		case (err != nil || p.Addr().Is4()) && v4 == 0:
			v4++
			if pool.Subnet != "" {
				b.SetAttributeValue("subnet", str(pool.Subnet))
			}
			if pool.Gateway != "" {
				b.SetAttributeValue("gateway", str(pool.Gateway))
			}
		default:
			c.note(key+".ipam.config", "a network has one IPv4 and one IPv6 subnet; only the first of each is carried")
		}
	}
	if n.EnableIPv6 != nil && *n.EnableIPv6 && v6 == 0 {
		c.note(key+".enable_ipv6", reasons["enable_ipv6"])
	}
}

// defaultUsedExplicitly reports whether the compose file has services on
// other networks next to "default": then "default" must be declared.
// Otherwise every service is only on "default", which proeftuin makes
// by itself.
func (c *converter) defaultUsedExplicitly() bool {
	for _, s := range c.p.Services {
		for n := range s.Networks {
			if n != "default" {
				return true
			}
		}
	}
	return false
}

func (c *converter) volumes() {
	for _, name := range c.ordered("volumes", keysOf(c.p.Volumes)) {
		if d := c.p.Volumes[name].Driver; d != "" && d != "local" {
			c.note("volumes."+name+".driver", fmt.Sprintf("driver %q: volumes use the local driver", d))
		}
		c.body.AppendNewBlock("volume", []string{name})
	}
}

func (c *converter) secrets() {
	modes := c.secretModes()
	for _, name := range c.ordered("secrets", keysOf(c.p.Secrets)) {
		s := c.p.Secrets[name]
		b := c.body.AppendNewBlock("secret", []string{name}).Body()
		switch {
		case s.File != "":
			b.SetAttributeValue("file", str(c.rel(s.File, "secrets."+name+".file")))
		case s.Environment != "":
			v := varName(s.Environment)
			c.variable(v, true)
			b.SetAttributeTraversal("source", hcl.Traversal{hcl.TraverseRoot{Name: "var"}, hcl.TraverseAttr{Name: v}})
			c.note("secrets."+name+".environment", fmt.Sprintf("compose reads %s from your machine; it became the sensitive variable %s: give it a value (--var %s=... or a default)", s.Environment, v, v))
		default:
			c.note("secrets."+name, "only secrets from a file or an environment variable are carried")
		}
		if m, ok := modes[name]; ok {
			if m.mode != "" {
				b.SetAttributeValue("mode", str(m.mode))
			}
			if m.owner != "" {
				b.SetAttributeValue("owner", str(m.owner))
			}
		}
	}
}

type secretMode struct{ mode, owner string }

// secretModes takes the mode and owner a service gives a secret onto the
// secret (proeftuin sets them once per secret).
func (c *converter) secretModes() map[string]secretMode {
	out := map[string]secretMode{}
	for _, sname := range keysOf(c.p.Services) {
		for _, ref := range c.p.Services[sname].Secrets {
			var m secretMode
			if ref.Mode != nil {
				m.mode = fmt.Sprintf("0%o", int64(*ref.Mode))
			} else if u := c.p.Services[sname].User; u != "" && u != "root" && !strings.HasPrefix(u, "0:") && u != "0" {
				// compose mounts the file as it is (readable by all);
				// proeftuin's default 0400 root would lock this user out.
				m.mode = "0444"
			}
			if ref.UID != "" || ref.GID != "" {
				m.owner = orZero(ref.UID) + ":" + orZero(ref.GID)
			}
			if prev, ok := out[ref.Source]; ok && prev != m {
				c.note("services."+sname+".secrets", fmt.Sprintf("secret %s gets another mode or owner than in another service; proeftuin sets them once per secret, the first is kept", ref.Source))
				continue
			}
			out[ref.Source] = m
		}
	}
	return out
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

// varName turns an environment variable name into a variable name.
func varName(env string) string {
	return strings.ToLower(strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' {
			return r
		}
		return '_'
	}, env))
}

func (c *converter) variable(name string, sensitive bool) {
	b := c.body.AppendNewBlock("variable", []string{name}).Body()
	b.SetAttributeTraversal("type", hcl.Traversal{hcl.TraverseRoot{Name: "string"}})
	if sensitive {
		b.SetAttributeValue("sensitive", cty.True)
	}
}

func portNumber(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0 && n <= 65535
}
