package composeimport

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

func (c *converter) service(name string) {
	s := c.p.Services[name]
	key := "services." + name
	b := c.body.AppendNewBlock("service", []string{name}).Body()
	if s.Image != "" {
		b.SetAttributeValue("image", str(s.Image))
	}
	c.pull(b, s, key)
	if s.Command != nil {
		b.SetAttributeValue("command", strList(s.Command))
	}
	if s.Entrypoint != nil {
		b.SetAttributeValue("entrypoint", strList(s.Entrypoint))
	}
	c.env(b, s, key)
	setStr(b, "working_dir", s.WorkingDir)
	setStr(b, "user", s.User)
	setStr(b, "hostname", s.Hostname)
	c.networkMode(b, s, key)
	c.dependsOn(b, s, key)
	if s.Restart != "" {
		b.SetAttributeValue("restart", str(strings.TrimSuffix(strings.SplitN(s.Restart, ":", 2)[0], " ")))
	}
	if len(s.Labels) > 0 {
		b.SetAttributeValue("labels", strMap(s.Labels))
	}
	if s.Privileged {
		b.SetAttributeValue("privileged", cty.True)
	}
	if len(s.CapAdd) > 0 {
		b.SetAttributeValue("cap_add", strList(s.CapAdd))
	}
	c.devices(b, s, key)
	if len(s.Sysctls) > 0 {
		b.SetAttributeValue("sysctls", strMap(s.Sysctls))
	}
	if s.StopGracePeriod != nil {
		b.SetAttributeValue("stop_timeout", str(duration(s.StopGracePeriod)))
	}
	if len(s.Expose) > 0 {
		b.SetAttributeValue("expose", strList(s.Expose))
	}
	if len(s.Secrets) > 0 {
		names := make([]string, 0, len(s.Secrets))
		for _, ref := range s.Secrets {
			if ref.Target != "" && ref.Target != ref.Source && ref.Target != "/run/secrets/"+ref.Source {
				c.note(key+".secrets", fmt.Sprintf("secret %s with target %s: a secret is always /run/secrets/<name>", ref.Source, ref.Target))
			}
			names = append(names, ref.Source)
		}
		b.SetAttributeRaw("secrets", refList("secret", names))
	}
	c.build(b, s, key)
	c.serviceNetworks(b, s, key)
	c.ports(b, s, key)
	c.mounts(b, s, key)
	c.configs(b, s, key)
	c.health(b, s, key)
	c.resources(b, s)
}

func setStr(b *hclwrite.Body, name, v string) {
	if v != "" {
		b.SetAttributeValue(name, str(v))
	}
}

func (c *converter) pull(b *hclwrite.Body, s types.ServiceConfig, key string) {
	switch s.PullPolicy {
	case "":
	case types.PullPolicyAlways, types.PullPolicyNever, types.PullPolicyMissing:
		b.SetAttributeValue("pull", str(s.PullPolicy))
	case types.PullPolicyIfNotPresent:
		b.SetAttributeValue("pull", str("missing"))
	case types.PullPolicyBuild:
		if s.Build == nil {
			c.note(key+".pull_policy", "pull_policy build without a build section")
		}
	default:
		c.note(key+".pull_policy", fmt.Sprintf("pull_policy %q: proeftuin knows missing, always and never", s.PullPolicy))
	}
}

func (c *converter) env(b *hclwrite.Body, s types.ServiceConfig, key string) {
	var files []string
	for _, f := range s.EnvFiles {
		files = append(files, c.rel(f.Path, key+".env_file"))
	}
	if len(files) == 1 {
		b.SetAttributeValue("env_file", str(files[0]))
	} else if len(files) > 1 {
		b.SetAttributeValue("env_file", strList(files))
	}
	env := map[string]string{}
	for _, k := range keysOf(s.Environment) {
		v := s.Environment[k]
		if v == nil {
			c.note(key+".environment", fmt.Sprintf("%s has no value: %s", k, reasons["environment.unset"]))
			continue
		}
		env[k] = *v
	}
	if len(env) > 0 {
		b.SetAttributeValue("env", strMap(env))
	}
}

func (c *converter) networkMode(b *hclwrite.Body, s types.ServiceConfig, key string) {
	switch m := s.NetworkMode; {
	case m == "":
	case m == "none" || m == "host" || strings.HasPrefix(m, "service:"):
		b.SetAttributeValue("network_mode", str(m))
	default:
		c.note(key+".network_mode", fmt.Sprintf("network_mode %q: proeftuin knows none, host and service:<name>", m))
	}
}

var conditions = map[string]string{
	types.ServiceConditionStarted:               "started",
	types.ServiceConditionHealthy:               "ready",
	types.ServiceConditionCompletedSuccessfully: "completed",
}

func (c *converter) dependsOn(b *hclwrite.Body, s types.ServiceConfig, key string) {
	if len(s.DependsOn) == 0 {
		return
	}
	var deps []string
	for _, d := range c.ordered(key+".depends_on", keysOf(s.DependsOn)) {
		if s.NetworkMode != "service:"+d { // network_mode is a dependency already
			deps = append(deps, d)
		}
	}
	if len(deps) == 0 {
		return
	}
	plain := true
	for _, d := range deps {
		if s.DependsOn[d].Condition != types.ServiceConditionHealthy {
			plain = false
		}
	}
	if plain {
		// Every entry waits for health: the list form, whose default
		// condition is "ready".
		b.SetAttributeRaw("depends_on", refList("service", deps))
		return
	}
	var toks hclwrite.Tokens
	toks = append(toks, &hclwrite.Token{Type: hclsynTokenOBrace, Bytes: []byte("{")})
	for i, d := range deps {
		if i > 0 {
			toks = append(toks, &hclwrite.Token{Type: hclsynTokenComma, Bytes: []byte(", ")})
		}
		cond := conditions[s.DependsOn[d].Condition]
		if cond == "" {
			cond = "started"
		}
		toks = append(toks, hclwrite.TokensForIdentifier(d)...)
		toks = append(toks, &hclwrite.Token{Type: hclsynTokenEqual, Bytes: []byte(" = ")})
		toks = append(toks, hclwrite.TokensForValue(str(cond))...)
	}
	toks = append(toks, &hclwrite.Token{Type: hclsynTokenCBrace, Bytes: []byte("}")})
	b.SetAttributeRaw("depends_on", toks)
}

func (c *converter) devices(b *hclwrite.Body, s types.ServiceConfig, key string) {
	var list []string
	for _, d := range s.Devices {
		if d.Target != "" && d.Target != d.Source || d.Permissions != "" && d.Permissions != "rwm" {
			c.note(key+".devices", fmt.Sprintf("device %s: only a device at its own path with all permissions is carried", d.Source))
			continue
		}
		list = append(list, d.Source)
	}
	if len(list) > 0 {
		b.SetAttributeValue("devices", strList(list))
	}
}

func (c *converter) build(b *hclwrite.Body, s types.ServiceConfig, key string) {
	if s.Build == nil {
		return
	}
	if s.Build.DockerfileInline != "" {
		c.note(key+".build.dockerfile_inline", "write the Dockerfile into the build context")
	}
	bb := b.AppendNewBlock("build", nil).Body()
	bb.SetAttributeValue("context", str(c.rel(s.Build.Context, key+".build.context")))
	if df := s.Build.Dockerfile; df != "" && df != "Dockerfile" {
		bb.SetAttributeValue("dockerfile", str(df))
	}
	args := map[string]string{}
	for k, v := range s.Build.Args {
		if v == nil {
			c.note(key+".build.args", fmt.Sprintf("build argument %s has no value: give it one", k))
			continue
		}
		args[k] = *v
	}
	if len(args) > 0 {
		bb.SetAttributeValue("args", strMap(args))
	}
	setStr(bb, "target", s.Build.Target)
}

func (c *converter) serviceNetworks(b *hclwrite.Body, s types.ServiceConfig, key string) {
	if !c.defaultUsedExplicitly() || s.NetworkMode != "" {
		return
	}
	for _, n := range c.ordered(key+".networks", keysOf(s.Networks)) {
		nb := b.AppendNewBlock("network", []string{n}).Body()
		cfg := s.Networks[n]
		if cfg == nil {
			continue
		}
		setStr(nb, "ipv4_address", cfg.Ipv4Address)
		if len(cfg.Aliases) > 0 {
			nb.SetAttributeValue("aliases", strList(cfg.Aliases))
		}
		setStr(nb, "ipv6_address", cfg.Ipv6Address)
		setStr(nb, "mac_address", cfg.MacAddress)
		setStr(nb, "interface", cfg.InterfaceName)
	}
}

func (c *converter) ports(b *hclwrite.Body, s types.ServiceConfig, key string) {
	for _, p := range s.Ports {
		pb := b.AppendNewBlock("port", nil).Body()
		pb.SetAttributeValue("container", cty.NumberIntVal(int64(p.Target)))
		if p.Published != "" {
			host, ok := portNumber(p.Published)
			if !ok {
				c.note(key+".ports", fmt.Sprintf("published port %q: a range is not supported; one host port per port block", p.Published))
			} else {
				pb.SetAttributeValue("host", cty.NumberIntVal(int64(host)))
			}
		}
		if p.Protocol != "" && p.Protocol != "tcp" {
			pb.SetAttributeValue("protocol", str(p.Protocol))
		}
		if p.HostIP != "" {
			pb.SetAttributeValue("host_ip", str(p.HostIP))
		} else {
			// compose publishes on every interface; proeftuin's default is
			// this machine only. Keep compose's meaning, visibly.
			pb.SetAttributeValue("host_ip", str("0.0.0.0"))
		}
	}
}

func (c *converter) mounts(b *hclwrite.Body, s types.ServiceConfig, key string) {
	for _, t := range s.Tmpfs {
		mb := b.AppendNewBlock("mount", nil).Body()
		mb.SetAttributeValue("target", str(strings.SplitN(t, ":", 2)[0]))
		mb.SetAttributeValue("tmpfs", cty.True)
	}
	for _, v := range s.Volumes {
		var mb *hclwrite.Body
		switch v.Type {
		case types.VolumeTypeVolume:
			if v.Source == "" {
				c.note(key+".volumes", fmt.Sprintf("anonymous volume at %s: declare a named volume", v.Target))
				continue
			}
			mb = b.AppendNewBlock("mount", nil).Body()
			mb.SetAttributeTraversal("volume", hcl.Traversal{hcl.TraverseRoot{Name: "volume"}, hcl.TraverseAttr{Name: v.Source}})
		case types.VolumeTypeBind:
			mb = b.AppendNewBlock("mount", nil).Body()
			src := v.Source
			if r := c.relQuiet(src); r != "" {
				src = r
			}
			mb.SetAttributeValue("bind", str(src))
		case types.VolumeTypeTmpfs:
			mb = b.AppendNewBlock("mount", nil).Body()
			mb.SetAttributeValue("tmpfs", cty.True)
		default:
			c.note(key+".volumes", fmt.Sprintf("volume type %q at %s is not supported", v.Type, v.Target))
			continue
		}
		mb.SetAttributeValue("target", str(v.Target))
		if v.ReadOnly {
			mb.SetAttributeValue("read_only", cty.True)
		}
	}
}

// relQuiet is the path relative to the lab folder when it is inside it.
func (c *converter) relQuiet(path string) string {
	if r, err := relInside(c.out, path); err == nil {
		return r
	}
	return ""
}

func (c *converter) health(b *hclwrite.Body, s types.ServiceConfig, key string) {
	h := s.HealthCheck
	if h != nil && !h.Disable && len(h.Test) > 0 && h.Test[0] != "NONE" {
		hb := b.AppendNewBlock("healthcheck", nil).Body()
		hb.SetAttributeValue("test", strList(h.Test))
		for name, d := range map[string]*types.Duration{"interval": h.Interval, "timeout": h.Timeout, "start_period": h.StartPeriod, "start_interval": h.StartInterval} {
			if d != nil {
				hb.SetAttributeValue(name, str(duration(d)))
			}
		}
		if h.Retries != nil {
			hb.SetAttributeValue("retries", cty.NumberIntVal(int64(*h.Retries)))
		}
	}
	if c.healthyDeps[s.Name] {
		if h == nil || h.Disable {
			c.note(key, "other services wait until it is healthy, but it has no healthcheck: they wait until it runs")
			return
		}
		rb := b.AppendNewBlock("ready", nil).Body()
		rb.SetAttributeValue("healthcheck", cty.True)
	}
}

func (c *converter) resources(b *hclwrite.Body, s types.ServiceConfig) {
	mem, cpus := int64(s.MemLimit), float64(s.CPUS)
	if s.Deploy != nil && s.Deploy.Resources.Limits != nil {
		if l := s.Deploy.Resources.Limits; l.MemoryBytes > 0 {
			mem = int64(l.MemoryBytes)
		}
		if l := s.Deploy.Resources.Limits; l.NanoCPUs > 0 {
			cpus = float64(l.NanoCPUs)
		}
	}
	if mem == 0 && cpus == 0 {
		return
	}
	rb := b.AppendNewBlock("resources", nil).Body()
	if mem > 0 {
		rb.SetAttributeValue("memory", str(memory(mem)))
	}
	if cpus > 0 {
		v, _ := strconv.ParseFloat(strconv.FormatFloat(cpus, 'f', 3, 32), 64)
		rb.SetAttributeValue("cpus", cty.NumberFloatVal(v))
	}
}

// memory writes a byte count the way a lab does: "256m", "1g".
func memory(n int64) string {
	for _, u := range []struct {
		suffix string
		size   int64
	}{{"g", 1 << 30}, {"m", 1 << 20}, {"k", 1 << 10}} {
		if n%u.size == 0 {
			return strconv.FormatInt(n/u.size, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}
