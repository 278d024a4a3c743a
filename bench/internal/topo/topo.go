// Package topo generates the benchmark topologies, each as a proeftuin
// environment (HCL), an equivalent docker-compose file and a plain spec
// for the engine floor (bench/floor).
package topo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Image is the local image every topology runs on (scripts/test-images.sh).
const Image = "proeftuin/busybox:1"

// LabelProject marks what the floor creates, so it can find it again.
const LabelProject = "proeftuin.bench.project"

// ServeCommand starts busybox httpd on 8080 with an index page; the same
// command in all three variants.
var ServeCommand = []string{"sh", "-c", "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www"}

// Network is one bridge network.
type Network struct {
	Name     string `json:"name"`
	Internal bool   `json:"internal,omitempty"`
	Subnet   string `json:"subnet,omitempty"`
}

// Attachment connects a service to a network.
type Attachment struct {
	Network string `json:"network"`
	IPv4    string `json:"ipv4,omitempty"`
}

// Service is one container.
type Service struct {
	Name      string       `json:"name"`
	Command   []string     `json:"command"`
	Networks  []Attachment `json:"networks"`
	DependsOn string       `json:"depends_on,omitempty"` // ready only when its HTTP port answers
	Publish   bool         `json:"publish,omitempty"`    // publish 8080 on 127.0.0.1, engine-chosen port
	ReadyHTTP bool         `json:"ready_http,omitempty"` // ready when GET :8080/ answers 200
}

// Topology is one benchmark scenario.
type Topology struct {
	Name      string    `json:"name"`
	Image     string    `json:"image"`
	Networks  []Network `json:"networks"`
	Services  []Service `json:"services"`
	PlanSteps int       `json:"plan_steps,omitempty"` // exec steps with one exec check each, run in service "app"
}

// Names lists the topologies in their usual order.
var Names = []string{"flat10", "flat30", "chain5", "nets3", "plan20"}

// Get returns the topology called name.
func Get(name string) (*Topology, error) {
	t := &Topology{Name: name, Image: Image}
	switch name {
	case "flat10", "flat30":
		n := 10
		if name == "flat30" {
			n = 30
		}
		t.Networks = []Network{{Name: "net"}}
		for i := 1; i <= n; i++ {
			t.Services = append(t.Services, Service{Name: fmt.Sprintf("s%02d", i), Command: ServeCommand,
				Networks: []Attachment{{Network: "net"}}})
		}
	case "chain5":
		t.Networks = []Network{{Name: "net"}}
		for i := 1; i <= 5; i++ {
			s := Service{Name: fmt.Sprintf("c%d", i), Command: ServeCommand, Networks: []Attachment{{Network: "net"}},
				Publish: true, ReadyHTTP: true}
			if i > 1 {
				s.DependsOn = fmt.Sprintf("c%d", i-1)
			}
			t.Services = append(t.Services, s)
		}
	case "nets3":
		t.Networks = []Network{
			{Name: "front", Subnet: "10.231.1.0/24"},
			{Name: "back", Subnet: "10.231.2.0/24", Internal: true},
			{Name: "mgmt", Subnet: "10.231.3.0/24"},
		}
		att := func(ns ...string) []Attachment {
			var out []Attachment
			for _, n := range ns {
				out = append(out, Attachment{Network: n})
			}
			return out
		}
		t.Services = []Service{
			{Name: "proxy", Networks: att("front", "mgmt")},
			{Name: "web", Networks: att("front", "back")},
			{Name: "api", Networks: att("front", "back")},
			{Name: "db", Networks: []Attachment{{Network: "back", IPv4: "10.231.2.10"}}},
			{Name: "cache", Networks: att("back")},
			{Name: "monitor", Networks: att("mgmt", "back")},
		}
		for i := range t.Services {
			t.Services[i].Command = ServeCommand
		}
	case "plan20":
		t.Networks = []Network{{Name: "net"}}
		t.Services = []Service{{Name: "app", Command: ServeCommand, Networks: []Attachment{{Network: "net"}}}}
		t.PlanSteps = 20
	default:
		return nil, fmt.Errorf("unknown topology %q (known: %s)", name, strings.Join(Names, ", "))
	}
	return t, nil
}

// StepCommand is the action of plan step i, CheckCommand its check; the
// floor's raw round trip runs the same two commands.
func StepCommand(i int) []string {
	return []string{"sh", "-c", fmt.Sprintf("echo step%02d > /tmp/step%02d", i, i)}
}
func CheckCommand(i int) []string { return []string{"cat", fmt.Sprintf("/tmp/step%02d", i)} }

func hclList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// HCL renders the proeftuin environment (and plan, if any) as one file.
func (t *Topology) HCL() string {
	var b strings.Builder
	fmt.Fprintf(&b, "environment %q {\n  title = \"benchmark topology %s\"\n}\n\n", "bench-"+t.Name, t.Name)
	for _, n := range t.Networks {
		fmt.Fprintf(&b, "network %q {\n", n.Name)
		if n.Subnet != "" {
			fmt.Fprintf(&b, "  subnet = %q\n", n.Subnet)
		}
		if n.Internal {
			b.WriteString("  internal = true\n")
		}
		b.WriteString("}\n\n")
	}
	for _, s := range t.Services {
		fmt.Fprintf(&b, "service %q {\n  image   = %q\n  command = %s\n", s.Name, t.Image, hclList(s.Command))
		if s.DependsOn != "" {
			fmt.Fprintf(&b, "  depends_on = [service.%s]\n", s.DependsOn)
		}
		for _, a := range s.Networks {
			if a.IPv4 != "" {
				fmt.Fprintf(&b, "  network %q {\n    ipv4_address = %q\n  }\n", a.Network, a.IPv4)
			} else {
				fmt.Fprintf(&b, "  network %q {}\n", a.Network)
			}
		}
		if s.Publish {
			b.WriteString("  port {\n    container = 8080\n    host_ip   = \"127.0.0.1\"\n  }\n")
		}
		if s.ReadyHTTP {
			b.WriteString("  ready {\n    http {\n      port = 8080\n      path = \"/\"\n    }\n    timeout = \"30s\"\n  }\n")
		}
		b.WriteString("}\n\n")
	}
	if t.PlanSteps > 0 {
		fmt.Fprintf(&b, "plan \"bench\" {\n  title = \"%d exec steps, one exec check each\"\n}\n\n", t.PlanSteps)
		for i := 1; i <= t.PlanSteps; i++ {
			fmt.Fprintf(&b, "step \"step%02d\" {\n  exec {\n    service = service.app\n    command = %s\n  }\n", i, hclList(StepCommand(i)))
			fmt.Fprintf(&b, "  check \"written\" {\n    exec {\n      service         = service.app\n      command         = %s\n      stdout_contains = \"step%02d\"\n    }\n  }\n}\n\n", hclList(CheckCommand(i)), i)
		}
	}
	return b.String()
}

func yamlList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf) // JSON strings are YAML double-quoted scalars
		enc.SetEscapeHTML(false)
		_ = enc.Encode(s)
		q[i] = strings.TrimSpace(buf.String())
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// Compose renders the equivalent docker-compose file (format 2.4, which
// docker-compose 1.29 reads with depends_on conditions, healthchecks,
// internal networks and static addresses). Readiness is the container's
// healthcheck (the same GET / inside the container, every 100ms, as
// proeftuin's default probe interval) and `condition: service_healthy`.
func (t *Topology) Compose() string {
	var b strings.Builder
	b.WriteString("version: \"2.4\"\nservices:\n")
	for _, s := range t.Services {
		fmt.Fprintf(&b, "  %s:\n    image: %q\n    command: %s\n", s.Name, t.Image, yamlList(s.Command))
		b.WriteString("    networks:\n")
		for _, a := range s.Networks {
			if a.IPv4 != "" {
				fmt.Fprintf(&b, "      %s:\n        ipv4_address: %s\n", a.Network, a.IPv4)
			} else {
				fmt.Fprintf(&b, "      %s: {}\n", a.Network)
			}
		}
		if s.Publish {
			b.WriteString("    ports: [\"127.0.0.1::8080\"]\n")
		}
		if s.ReadyHTTP {
			b.WriteString("    healthcheck:\n      test: [\"CMD\", \"wget\", \"-q\", \"-O\", \"/dev/null\", \"http://127.0.0.1:8080/\"]\n")
			b.WriteString("      interval: 100ms\n      timeout: 5s\n      retries: 300\n")
		}
		if s.DependsOn != "" {
			fmt.Fprintf(&b, "    depends_on:\n      %s:\n        condition: service_healthy\n", s.DependsOn)
		}
	}
	b.WriteString("networks:\n")
	for _, n := range t.Networks {
		if !n.Internal && n.Subnet == "" {
			fmt.Fprintf(&b, "  %s: {}\n", n.Name)
			continue
		}
		fmt.Fprintf(&b, "  %s:\n", n.Name)
		if n.Internal {
			b.WriteString("    internal: true\n")
		}
		if n.Subnet != "" {
			fmt.Fprintf(&b, "    ipam:\n      config:\n        - subnet: %s\n", n.Subnet)
		}
	}
	return b.String()
}

// JSON is the spec the floor reads.
func (t *Topology) JSON() []byte {
	b, _ := json.MarshalIndent(t, "", "  ")
	return b
}

// Last returns the name of the service nothing depends on in a chain (the
// one whose readiness ends an up), or "".
func (t *Topology) Last() string {
	dep := map[string]bool{}
	for _, s := range t.Services {
		if s.DependsOn != "" {
			dep[s.DependsOn] = true
		}
	}
	var ready []string
	for _, s := range t.Services {
		if s.ReadyHTTP && !dep[s.Name] {
			ready = append(ready, s.Name)
		}
	}
	sort.Strings(ready)
	if len(ready) == 0 {
		return ""
	}
	return ready[len(ready)-1]
}
