// Package graph turns an environment's technical design into a topology
// graph (services, networks, volumes and how they connect) and renders it
// as Mermaid, Graphviz DOT or a self-contained SVG network diagram.
package graph

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/glossary"
)

// Kind is what a node stands for.
type Kind string

const (
	Service Kind = "service"
	Network Kind = "network"
	Volume  Kind = "volume"
)

// Node is a service, network or volume. Lines are the label's lines after
// the name (image, ports, "internal", ...).
type Node struct {
	ID       string // unique, safe as a Mermaid id; DOT quotes it anyway
	Kind     Kind
	Name     string
	Lines    []string
	Internal bool // an internal network: no route outside the topology
}

// EdgeKind is what an edge stands for.
type EdgeKind string

const (
	Attach    EdgeKind = "attach"     // service — network; Label is the static address
	Mount     EdgeKind = "mount"      // service — volume; Label is the target path
	DependsOn EdgeKind = "depends_on" // service -> service it waits for
)

// Edge connects two nodes by ID.
type Edge struct {
	From, To string
	Kind     EdgeKind
	Label    string
}

// Graph is the topology of one environment. Nodes and edges are in
// declaration order, so every rendering is deterministic.
type Graph struct {
	Name  string
	Lang  string // of the words the graph adds; "" is English
	Nodes []*Node
	Edges []*Edge
}

// Build makes the graph of env, its words in English.
func Build(env *config.Environment) *Graph { return BuildIn(env, "en") }

// BuildIn makes the graph of env with its words ("depends on",
// "internal") in lang, "nl" or "en", from the glossary.
func BuildIn(env *config.Environment, lang string) *Graph {
	g := &Graph{Name: env.Name, Lang: lang}
	ids := map[string]bool{}
	byName := map[Kind]map[string]string{Service: {}, Network: {}, Volume: {}}
	add := func(kind Kind, name string, lines []string) *Node {
		id := uniqueID(ids, string(kind[0])+"_"+sanitize(name))
		n := &Node{ID: id, Kind: kind, Name: name, Lines: lines}
		g.Nodes = append(g.Nodes, n)
		byName[kind][name] = id
		return n
	}

	for _, s := range env.Services {
		add(Service, s.Name, ServiceLines(env, s))
	}
	for _, n := range env.Networks {
		node := add(Network, n.Name, networkLines(n, lang))
		node.Internal = n.Internal
	}
	for _, v := range env.Volumes {
		add(Volume, v.Name, nil)
	}

	// References to undeclared objects are the loader's to report; the
	// graph simply leaves them out.
	for _, s := range env.Services {
		from := byName[Service][s.Name]
		for _, sn := range s.Networks {
			if to, ok := byName[Network][sn.Network]; ok {
				g.Edges = append(g.Edges, &Edge{From: from, To: to, Kind: Attach, Label: sn.IPv4Address})
			}
		}
		for _, m := range s.Mounts {
			if to, ok := byName[Volume][m.Volume]; ok && m.Volume != "" {
				label := m.Target
				if m.ReadOnly {
					label += " (ro)"
				}
				g.Edges = append(g.Edges, &Edge{From: from, To: to, Kind: Mount, Label: label})
			}
		}
		for _, d := range s.DependsOn {
			if to, ok := byName[Service][d]; ok {
				g.Edges = append(g.Edges, &Edge{From: from, To: to, Kind: DependsOn, Label: glossary.T(lang, "depends_on")})
			}
		}
	}
	return g
}

// ServiceLines describes a service in a few short lines: its image (or
// build context), its published ports and a non-default network mode.
func ServiceLines(env *config.Environment, s *config.Service) []string {
	var lines []string
	switch {
	case s.Image != "":
		lines = append(lines, s.Image)
	case s.Build != nil:
		lines = append(lines, "build: "+RelPath(env.Dir, s.Build.Context))
	}
	for _, p := range s.Ports {
		lines = append(lines, PortString(p))
	}
	if s.NetworkMode != "" {
		lines = append(lines, "network_mode: "+s.NetworkMode)
	}
	return lines
}

// NetworkLines describes a network: internal or not and its subnet.
func NetworkLines(n *config.Network) []string { return networkLines(n, "en") }

func networkLines(n *config.Network, lang string) []string {
	var lines []string
	if n.Internal {
		lines = append(lines, glossary.T(lang, "internal"))
	}
	switch {
	case n.Subnet != "":
		lines = append(lines, n.Subnet)
	case n.AutoSubnet && lang == "nl":
		lines = append(lines, "subnet: "+glossary.T(lang, "automatic"))
	case n.AutoSubnet:
		lines = append(lines, `subnet: auto`) // as the HCL says it
	}
	return lines
}

// PortString is a published port as "127.0.0.1:8080 -> 80", with "/udp"
// for UDP and "auto" for a host port the engine chooses.
func PortString(p *config.Port) string {
	ip := p.HostIP
	if ip == "" {
		ip = "127.0.0.1"
	}
	host := "auto"
	if p.Host != 0 {
		host = fmt.Sprint(p.Host)
	}
	s := fmt.Sprintf("%s:%s -> %d", ip, host, p.Container)
	if strings.EqualFold(p.Protocol, "udp") {
		s += "/udp"
	}
	return s
}

// RelPath shows path relative to the environment folder when it lies
// inside it, with forward slashes on every OS.
func RelPath(dir, path string) string {
	if dir != "" && filepath.IsAbs(path) {
		if rel, err := filepath.Rel(dir, path); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(path)
}

// sanitize keeps letters, digits and underscores; anything else becomes
// an underscore.
func sanitize(name string) string {
	var b strings.Builder
	for _, r := range name {
		if r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// uniqueID appends a counter when sanitizing made two names equal
// ("web-1" and "web_1").
func uniqueID(used map[string]bool, id string) string {
	cand := id
	for i := 2; used[cand]; i++ {
		cand = fmt.Sprintf("%s_%d", id, i)
	}
	used[cand] = true
	return cand
}
