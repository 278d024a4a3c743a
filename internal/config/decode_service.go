package config

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/distribution/reference"
	"github.com/hashicorp/hcl/v2"

	"github.com/proeftuin/proeftuin/internal/buildctx"
)

var (
	pullPolicies   = []string{"missing", "always", "never"}
	restartModes   = []string{"no", "always", "unless-stopped", "on-failure"}
	protocols      = []string{"tcp", "udp"}
	reservedLabels = "proeftuin."
)

type ipUse struct {
	network, addr, service string
	rng                    hcl.Range
}

type portUse struct {
	hostIP, protocol, service string
	host                      int
	rng                       hcl.Range
}

func (l *loader) decodeServiceBlock(b *hcl.Block) *Service {
	content, diags := b.Body.Content(serviceSchema)
	l.diags = append(l.diags, diags...)
	a := content.Attributes
	s := &Service{
		Name:       b.Labels[0],
		Hostname:   b.Labels[0],
		DeclRange:  b.DefRange,
		AttrRanges: map[string]hcl.Range{},
	}
	for name, attr := range a {
		s.AttrRanges[name] = attr.Range
	}

	s.Image = l.imageRef(a["image"])
	s.Pull = l.enum(a["pull"], "missing", pullPolicies)
	s.Command = l.command(a["command"])
	s.Entrypoint = l.command(a["entrypoint"])
	s.Env, s.SensitiveEnv = l.stringMap(a["env"])
	l.checkEnvNames(a["env"], s.Env)
	s.Env = mergeEnv(l.envFileVars(a["env_file"]), s.Env)
	s.Expose = l.expose(a["expose"])
	s.Secrets = l.serviceSecrets(s, a["secrets"])
	s.WorkingDir = l.str(a["working_dir"], "")
	s.User = l.str(a["user"], "")
	s.Hostname = l.str(a["hostname"], s.Name)
	if attr := a["hostname"]; attr != nil && s.Hostname != knownAfterUp && !validName(s.Hostname) {
		l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid hostname",
			"The hostname %q cannot be set in a container; use ASCII letters, digits, '-', '_' and '.', start with a letter or digit, and stay within 63 characters.", truncate(s.Hostname, 80)))
	}
	s.NetworkMode = l.networkMode(a["network_mode"], s.Name)
	l.dependsOn(s, a["depends_on"])
	s.Restart = l.enum(a["restart"], "no", restartModes)
	s.Labels, _ = l.stringMap(a["labels"])
	if attr := a["labels"]; attr != nil {
		for _, k := range sortedKeys(s.Labels) {
			if strings.HasPrefix(k, reservedLabels) {
				l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Reserved label",
					"The label %q starts with %q, which proeftuin uses to find what it created; choose another prefix.", k, reservedLabels))
			}
		}
	}
	s.Satisfies, _ = l.refs(a["satisfies"], "requirement")
	s.Privileged = l.boolean(a["privileged"], false)
	s.CapAdd = l.strs(a["cap_add"])
	s.Devices = l.strs(a["devices"])
	s.Sysctls, _ = l.stringMap(a["sysctls"])
	if attr := a["stop_timeout"]; attr != nil {
		d := l.duration(attr, 0)
		s.StopTimeout = &d
	}

	seenNet := map[string]hcl.Range{}
	for _, blk := range content.Blocks {
		switch blk.Type {
		case "build":
			if s.Build != nil {
				l.duplicateBlock(blk, "Service %q already has a build block at %s; a service is built from one Dockerfile, so remove one.", s.Name, at(s.Build.DeclRange))
				continue
			}
			s.Build = l.decodeBuildBlock(blk)
		case "network":
			if first, dup := seenNet[blk.Labels[0]]; dup {
				l.diags = append(l.diags, errorAt(rangePtr(blk.LabelRanges[0]), "Duplicate network attachment",
					"Service %q is already attached to network %q at %s; merge the two blocks.", s.Name, blk.Labels[0], at(first)))
				continue
			}
			seenNet[blk.Labels[0]] = blk.DefRange
			if sn := l.decodeServiceNetworkBlock(s, blk); sn != nil {
				s.Networks = append(s.Networks, sn)
			}
		case "port":
			s.Ports = append(s.Ports, l.decodePortBlock(s, blk))
		case "mount":
			s.Mounts = append(s.Mounts, l.decodeMountBlock(s, blk, len(s.Mounts)))
		case "file":
			s.Files = append(s.Files, l.decodeFileBlock(blk))
		case "ready":
			if s.Ready != nil {
				l.duplicateBlock(blk, "Service %q already has a ready block at %s; combine them into one.", s.Name, at(s.Ready.DeclRange))
				continue
			}
			s.Ready = l.decodeReadyBody(blk.Body, blk.DefRange, readySchema)
		case "healthcheck":
			if s.Healthcheck != nil {
				l.duplicateBlock(blk, "Service %q already has a healthcheck block at %s; remove one.", s.Name, at(s.Healthcheck.DeclRange))
				continue
			}
			s.Healthcheck = l.decodeHealthcheckBlock(blk)
		case "resources":
			if s.Resources != nil {
				l.duplicateBlock(blk, "Service %q already has a resources block; remove one.", s.Name)
				continue
			}
			s.Resources = l.decodeResourcesBlock(blk)
		}
	}

	switch {
	case a["image"] == nil && s.Build == nil && !diags.HasErrors():
		l.diags = append(l.diags, errorAt(rangePtr(b.DefRange), "Missing image",
			"Service %q has neither an image nor a build block; add image = \"name:tag\" or a build { context = \"...\" } block.", s.Name))
	}
	if s.NetworkMode != "" && len(s.Networks) > 0 {
		l.diags = append(l.diags, errorAt(a["network_mode"].Expr.Range().Ptr(), "Network mode with networks",
			"Service %q sets network_mode = %q and also attaches to networks; a container in that mode has no networks of its own, so remove one of them.", s.Name, s.NetworkMode))
	}
	l.decodeRouting(s, a, content.Blocks)
	return s
}

// imageRef reads an image reference and refuses one the engine would
// misread: a newline, a NUL byte, upper case or a stray character is
// reported here, where the student can fix it, not as an engine error.
func (l *loader) imageRef(attr *hcl.Attribute) string {
	img := l.str(attr, "")
	if attr == nil || img == "" || img == knownAfterUp {
		return img
	}
	if _, err := reference.ParseNormalizedNamed(img); err != nil {
		l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid image reference",
			"%q is not an image reference (%v); write it as name:tag, like \"debian:bookworm\" or \"registry.example.nl/lab/web:1\", in lower case and without spaces.", truncate(img, 80), err))
	}
	return img
}

// checkEnvNames refuses variable names the engine would split or cut:
// "A=B" = "c" sets A to "B=c", and a NUL byte ends the string early.
func (l *loader) checkEnvNames(attr *hcl.Attribute, env map[string]string) {
	if attr == nil {
		return
	}
	for _, k := range sortedKeys(env) {
		v := env[k]
		switch {
		case k == "":
			l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid environment variable",
				"An environment variable has an empty name; give every variable a name, like { PORT = \"8080\" }."))
		case strings.ContainsAny(k, "=\x00"):
			l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid environment variable",
				"The variable name %q contains \"=\" or a NUL byte, so the container would get another variable than written; use letters, digits and _ only.", truncate(k, 80)))
		case strings.ContainsRune(v, 0):
			l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid environment variable",
				"The value of %q contains a NUL byte, which would cut it short; remove it.", k))
		}
	}
}

// networkMode accepts "", "none", "host" and "service:<name>" (a
// reference like "service:${service.db.name}" works too).
func (l *loader) networkMode(attr *hcl.Attribute, self string) string {
	mode := l.str(attr, "")
	switch {
	case mode == "" || mode == "none" || mode == "host" || mode == knownAfterUp:
		return mode
	case strings.HasPrefix(mode, "service:"):
		target := strings.TrimPrefix(mode, "service:")
		if target == self {
			l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid network mode",
				"Service %q cannot share the network namespace of itself; name another service.", self))
		} else if !l.decl["service"].has(target) {
			l.diags = append(l.diags, unknownName(attr.Expr.Range(), "service", target, l.decl["service"].sorted()))
		}
		return mode
	}
	l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid network mode",
		"%q is not a network mode; use \"none\", \"host\" or \"service:<name>\", or attach the service with network blocks.", mode))
	return ""
}

func (l *loader) decodeBuildBlock(b *hcl.Block) *Build {
	content, diags := b.Body.Content(buildSchema)
	l.diags = append(l.diags, diags...)
	a := content.Attributes
	bd := &Build{DeclRange: b.DefRange}
	bd.Dockerfile = l.str(a["dockerfile"], "Dockerfile")
	bd.Args, _ = l.stringMap(a["args"])
	bd.Target = l.str(a["target"], "")
	if attr := a["context"]; attr != nil {
		ctxPath := l.str(attr, "")
		if ctxPath == "" {
			return bd
		}
		p, err := l.resolve(ctxPath)
		if err == nil {
			if st, serr := os.Stat(p); serr != nil || !st.IsDir() {
				err = fmt.Errorf("%q is not a folder", ctxPath)
			}
		}
		if err != nil {
			l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid build context",
				"The build context must be a folder inside the environment folder: %s.", err))
			return bd
		}
		bd.Context = p
		if bd.Dockerfile != "" {
			df := filepath.Join(p, filepath.FromSlash(bd.Dockerfile))
			if !within(p, df) {
				l.diags = append(l.diags, errorAt(a["dockerfile"].Expr.Range().Ptr(), "Invalid Dockerfile path",
					"The dockerfile %q leaves the build context; give a path inside %s.", bd.Dockerfile, ctxPath))
			} else if st, err := os.Stat(df); err != nil || !st.Mode().IsRegular() {
				rng := attr.Expr.Range()
				if a["dockerfile"] != nil {
					rng = a["dockerfile"].Expr.Range()
				}
				l.diags = append(l.diags, errorAt(&rng, "Missing Dockerfile",
					"There is no file %s in the build context %s; add it or set dockerfile to the right name.", bd.Dockerfile, ctxPath))
			} else if h, err := buildctx.Hash(p, bd.Dockerfile, bd.Args, bd.Target); err != nil {
				l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Unreadable build context",
					"The build context %s cannot be read: %s. Fix the file permissions or the .dockerignore.", ctxPath, err))
			} else {
				bd.Hash = h
			}
		}
	}
	return bd
}

func (l *loader) decodeServiceNetworkBlock(s *Service, b *hcl.Block) *ServiceNetwork {
	content, diags := b.Body.Content(serviceNetworkSchema)
	l.diags = append(l.diags, diags...)
	a := content.Attributes
	name := b.Labels[0]
	sn := &ServiceNetwork{Network: name, DeclRange: b.DefRange}
	sn.Aliases = l.strs(a["aliases"])
	sn.MACAddress = l.macAddress(a["mac_address"])
	sn.Interface = l.interfaceName(a["interface"])
	if n := l.env.Network(name); n != nil {
		sn.PointToPoint = n.PointToPoint
	}
	l.decodeIPv6Address(s, sn, a["ipv6_address"])
	if !l.decl["network"].has(name) {
		l.diags = append(l.diags, unknownName(b.LabelRanges[0], "network", name, l.decl["network"].sorted()))
		return sn
	}
	attr := a["ipv4_address"]
	if attr == nil {
		return sn
	}
	s.AttrRanges["network."+name+".ipv4_address"] = attr.Range
	v, ok := l.value(attr)
	if !ok {
		return sn
	}
	rng := attr.Expr.Range()
	n := l.env.Network(name)
	if !v.IsKnown() {
		// Computed from an auto subnet that is not allocated yet.
		sn.IPv4Unknown = true
		return sn
	}
	text, err := asString(v)
	if err != nil {
		l.typeError(attr, err)
		return sn
	}
	addr, err := netip.ParseAddr(text)
	if err != nil || !addr.Is4() {
		l.diags = append(l.diags, errorAt(&rng, "Invalid IPv4 address",
			"%q is not an IPv4 address; write one like \"172.30.0.10\", or compute it with cidrhost(network.%s.subnet, 10).", text, name))
		return sn
	}
	sn.IPv4Address = addr.String()
	if n == nil {
		return sn
	}
	if n.AutoSubnet && !l.refersToSubnet(attr.Expr, name) {
		l.diags = append(l.diags, errorAt(&rng, "Fixed address on an auto subnet",
			"Network %q gets a different subnet for every instance, so a literal address will not fit it; compute the address, like cidrhost(network.%s.subnet, 10).", name, name))
		return sn
	}
	p, hasPrefix := l.netPrefix[name]
	if !hasPrefix {
		if !n.AutoSubnet {
			l.diags = append(l.diags, errorAt(&rng, "Static address without subnet",
				"Network %q has no subnet, so the engine chooses its addresses; add subnet = \"...\" (or \"auto\") to the network, or remove ipv4_address.", name))
		}
		return sn
	}
	switch {
	case n.PointToPoint && p.Contains(addr) && usableOnLink(p, addr):
		l.ipRanges = append(l.ipRanges, ipUse{network: name, addr: addr.String(), service: s.Name, rng: rng})
	case !p.Contains(addr):
		l.diags = append(l.diags, errorAt(&rng, "Address outside subnet",
			"The address %s is not inside the subnet %s of network %q; choose an address inside it.", addr, p, name))
	case addr == p.Addr() || (p.Addr().Is4() && p.Bits() < 31 && addr == lastAddr(p)):
		l.diags = append(l.diags, errorAt(&rng, "Address not usable",
			"%s is the network or broadcast address of %s; choose a host address, like cidrhost(network.%s.subnet, 10).", addr, p, name))
	case n.Gateway != "" && addr.String() == n.Gateway:
		l.diags = append(l.diags, errorAt(&rng, "Address is the gateway",
			"%s is the gateway of network %q; choose another address.", addr, name))
	case n.Gateway == "" && addr == implicitGateway(p):
		l.diags = append(l.diags, errorAt(&rng, "Address is the gateway",
			"%s is the first host address of %s, which the engine gives the gateway of network %q when the network sets none; choose another address, like cidrhost(network.%s.subnet, 10).", addr, p, name, name))
	default:
		l.ipRanges = append(l.ipRanges, ipUse{network: name, addr: addr.String(), service: s.Name, rng: rng})
	}
	return sn
}

// implicitGateway is the address the engine's bridge driver takes for the
// gateway of p when the network sets none: the first host address.
func implicitGateway(p netip.Prefix) netip.Addr {
	return p.Addr().Next()
}

// refersToSubnet reports whether expr uses network.<name>.subnet, directly
// or through locals, which is how an address on an auto subnet stays valid
// for every instance.
func (l *loader) refersToSubnet(expr hcl.Expression, name string) bool {
	return l.exprRefersToSubnet(expr.Variables(), name, map[string]bool{})
}

func (l *loader) exprRefersToSubnet(refs []hcl.Traversal, name string, seen map[string]bool) bool {
	for _, tr := range refs {
		if len(tr) < 2 {
			continue
		}
		n, ok := tr[1].(hcl.TraverseAttr)
		if !ok {
			continue
		}
		switch tr.RootName() {
		case "network":
			if len(tr) >= 3 {
				if a, ok := tr[2].(hcl.TraverseAttr); ok && n.Name == name && a.Name == "subnet" {
					return true
				}
			}
		case "local":
			if seen[n.Name] {
				continue
			}
			seen[n.Name] = true
			if a := l.localAttrs[n.Name]; a != nil && l.exprRefersToSubnet(a.Expr.Variables(), name, seen) {
				return true
			}
		}
	}
	return false
}

func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Addr().As4()
	host := uint32(1)<<(32-p.Bits()) - 1
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]) | host
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

func (l *loader) decodePortBlock(s *Service, b *hcl.Block) *Port {
	content, diags := b.Body.Content(portSchema)
	l.diags = append(l.diags, diags...)
	a := content.Attributes
	p := &Port{DeclRange: b.DefRange}
	p.Container = l.port(a["container"], 0, false)
	p.Host = l.port(a["host"], 0, true)
	p.Protocol = l.enum(a["protocol"], "tcp", protocols)
	p.HostIP = l.str(a["host_ip"], "127.0.0.1")
	if attr := a["host_ip"]; attr != nil && p.HostIP != knownAfterUp {
		if _, err := netip.ParseAddr(p.HostIP); err != nil {
			l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid host_ip",
				"%q is not an IP address; use \"127.0.0.1\" (this machine only) or \"0.0.0.0\" (every interface).", p.HostIP))
		}
	}
	if p.Host > 0 {
		rng := b.DefRange
		if a["host"] != nil {
			rng = a["host"].Expr.Range()
		}
		l.portUses = append(l.portUses, portUse{hostIP: p.HostIP, protocol: p.Protocol, service: s.Name, host: p.Host, rng: rng})
	}
	return p
}

// port decodes a port number in 1..65535 (0 too when zeroOK: the engine
// picks a free host port).
func (l *loader) port(attr *hcl.Attribute, def int, zeroOK bool) int {
	n := l.integer(attr, def)
	if attr == nil {
		return n
	}
	if n < 0 || n > 65535 || (n == 0 && !zeroOK) {
		detail := "Port %d is out of range; a port number is between 1 and 65535."
		if zeroOK {
			detail = "Port %d is out of range; a host port is between 1 and 65535, or 0 to let the engine choose a free one."
		}
		l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid port number", detail, n))
		return def
	}
	return n
}

func (l *loader) decodeMountBlock(s *Service, b *hcl.Block, index int) *Mount {
	content, diags := b.Body.Content(mountSchema)
	l.diags = append(l.diags, diags...)
	a := content.Attributes
	m := &Mount{DeclRange: b.DefRange}
	m.Target = l.str(a["target"], "")
	if attr := a["target"]; attr != nil && m.Target != "" && m.Target != knownAfterUp && !strings.HasPrefix(m.Target, "/") {
		l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Relative mount target",
			"The target %q must be an absolute path inside the container, like \"/data\".", m.Target))
	}
	m.ReadOnly = l.boolean(a["read_only"], false)
	m.Volume = l.ref(a["volume"], "volume")
	m.Tmpfs = l.boolean(a["tmpfs"], false)
	if attr := a["bind"]; attr != nil {
		s.AttrRanges[fmt.Sprintf("mount.bind.%d", index)] = attr.Range
		m.Bind = l.str(attr, "")
		if m.Bind != "" && m.Bind != knownAfterUp && !filepath.IsAbs(m.Bind) {
			m.Bind = filepath.Join(l.dir, filepath.FromSlash(m.Bind))
		}
	}
	kinds := 0
	for _, k := range []string{"volume", "bind"} {
		if a[k] != nil {
			kinds++
		}
	}
	if m.Tmpfs {
		kinds++
	}
	if kinds != 1 {
		l.diags = append(l.diags, errorAt(rangePtr(b.DefRange), "Invalid mount",
			"A mount needs exactly one of volume, bind or tmpfs = true; this one has %d.", kinds))
	}
	return m
}

func (l *loader) decodeFileBlock(b *hcl.Block) *File {
	content, diags := b.Body.Content(fileSchema)
	l.diags = append(l.diags, diags...)
	a := content.Attributes
	f := &File{Path: b.Labels[0], DeclRange: b.DefRange}
	if !strings.HasPrefix(f.Path, "/") || strings.Contains(f.Path, "\x00") {
		l.diags = append(l.diags, errorAt(rangePtr(b.LabelRanges[0]), "Relative file path",
			"The path %q of a file block must be absolute inside the container, like \"/etc/app.conf\".", f.Path))
	}
	f.Mode = l.mode(a["mode"], 0o644)
	f.Owner = l.str(a["owner"], "0:0")
	switch {
	case a["content"] != nil && a["source"] != nil:
		l.diags = append(l.diags, errorAt(a["source"].Expr.Range().Ptr(), "Both content and source",
			"A file block takes its bytes from content or from source, not both; remove one."))
	case a["content"] != nil:
		f.Content = []byte(l.str(a["content"], ""))
	case a["source"] != nil:
		src := l.str(a["source"], "")
		if src == "" || src == knownAfterUp {
			break
		}
		data, err := l.readFile(src)
		if err != nil {
			l.diags = append(l.diags, errorAt(a["source"].Expr.Range().Ptr(), "Invalid file source",
				"The source of file %q cannot be used: %s.", f.Path, err))
			break
		}
		f.Content = data
		f.Source, _ = l.resolve(src)
	default:
		l.diags = append(l.diags, errorAt(rangePtr(b.DefRange), "Missing file content",
			"The file %q needs content = \"...\" or source = \"path in the environment folder\".", f.Path))
	}
	return f
}

func (l *loader) decodeHealthcheckBlock(b *hcl.Block) *Healthcheck {
	content, diags := b.Body.Content(healthcheckSchema)
	l.diags = append(l.diags, diags...)
	a := content.Attributes
	h := &Healthcheck{DeclRange: b.DefRange}
	h.Test = l.command(a["test"])
	if len(h.Test) == 3 && h.Test[0] == "/bin/sh" && h.Test[1] == "-c" {
		h.Test = []string{"CMD-SHELL", h.Test[2]}
	} else if len(h.Test) > 0 && h.Test[0] != "CMD" && h.Test[0] != "CMD-SHELL" && h.Test[0] != "NONE" {
		h.Test = append([]string{"CMD"}, h.Test...)
	}
	h.Interval = l.duration(a["interval"], 0)
	h.Timeout = l.duration(a["timeout"], 0)
	h.Retries = l.integer(a["retries"], 0)
	h.StartPeriod = l.duration(a["start_period"], 0)
	h.StartInterval = l.duration(a["start_interval"], 0)
	return h
}

func (l *loader) decodeResourcesBlock(b *hcl.Block) *Resources {
	content, diags := b.Body.Content(resourcesSchema)
	l.diags = append(l.diags, diags...)
	a := content.Attributes
	r := &Resources{}
	if attr := a["memory"]; attr != nil {
		text := l.str(attr, "")
		if text != "" && text != knownAfterUp {
			n, err := parseMemory(text)
			if err != nil {
				l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid memory size",
					"%q is not a memory size; write a number with a unit, like \"256m\" or \"1g\" (b, k, m, g).", text))
			}
			r.MemoryBytes = n
		}
	}
	if attr := a["cpus"]; attr != nil {
		r.CPUs = l.float(attr, 0)
		if r.CPUs < 0 || r.CPUs > 1024 {
			l.diags = append(l.diags, errorAt(attr.Expr.Range().Ptr(), "Invalid CPU limit",
				"cpus = %g is out of range; give a positive number of CPUs, like 0.5 or 2.", r.CPUs))
			r.CPUs = 0
		}
	}
	return r
}

// parseMemory parses "512", "256k", "256m", "1g", "1.5g" (also with a
// trailing "b", "ib" or upper case) into bytes, the way Docker reads them.
func parseMemory(s string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	t = strings.TrimSuffix(t, "ib")
	t = strings.TrimSuffix(t, "b")
	mult := int64(1)
	if n := len(t); n > 0 {
		switch t[n-1] {
		case 'k':
			mult = 1 << 10
		case 'm':
			mult = 1 << 20
		case 'g':
			mult = 1 << 30
		case 't':
			mult = 1 << 40
		}
		if mult > 1 {
			t = t[:n-1]
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f <= 0 || f*float64(mult) > 1<<50 || t == "" || strings.ContainsAny(t, "eEnN") {
		return 0, fmt.Errorf("invalid memory size %q", s)
	}
	return int64(f * float64(mult)), nil
}
