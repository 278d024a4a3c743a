package config

import "testing"

func TestDefaultNetwork(t *testing.T) {
	t.Run("added when a service declares no network", func(t *testing.T) {
		env := loadSource(t, `
service "a" { image = "busybox:1" }
service "b" { image = "busybox:1" }
service "solo" {
  image        = "busybox:1"
  network_mode = "none"
}
service "side" {
  image        = "busybox:1"
  network_mode = "service:a"
}
`, func(o *Options) { o.Subnets = map[string]string{"default": "10.200.3.0/24"} })
		n := env.Network(DefaultNetwork)
		if n == nil || !n.Implicit || !n.AutoSubnet || n.Subnet != "10.200.3.0/24" {
			t.Fatalf("default network %+v, want implicit, auto, 10.200.3.0/24", n)
		}
		for _, s := range env.Services {
			switch s.Name {
			case "a", "b":
				if len(s.Networks) != 1 || s.Networks[0].Network != DefaultNetwork {
					t.Errorf("service %s networks %+v, want only %s", s.Name, s.Networks, DefaultNetwork)
				}
			default:
				if len(s.Networks) != 0 {
					t.Errorf("service %s with network_mode got networks %+v", s.Name, s.Networks)
				}
			}
		}
	})
	t.Run("a declared default network is used", func(t *testing.T) {
		env := loadSource(t, `
network "default" {
  internal = true
}
service "a" { image = "busybox:1" }
`)
		if len(env.Networks) != 1 || env.Networks[0].Implicit || !env.Networks[0].Internal {
			t.Fatalf("networks %+v, want only the declared one", env.Networks)
		}
		if s := env.Service("a"); len(s.Networks) != 1 || s.Networks[0].Network != "default" {
			t.Errorf("service a networks %+v", s.Networks)
		}
	})
	t.Run("none when every service has a network", func(t *testing.T) {
		env := loadSource(t, `
network "lab" {}
service "a" {
  image = "busybox:1"
  network "lab" {}
}
`)
		if env.Network(DefaultNetwork) != nil {
			t.Errorf("default network added although every service has one")
		}
	})
}
