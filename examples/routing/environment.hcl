# routing: three routers in a row on point-to-point links, a PC at each
# end, static routes and no default route through the engine's bridge.
#
#   pc1 --lan1-- r1 ==10.16.0.0/30== r2 ==10.16.0.4/31== r3 --lan3-- pc3
#
# The two links are adjacent: a /30 and a /31 next to it. They are veth
# pairs made by proeftuin's network helper, not engine networks, so no
# gateway takes one of their addresses (docs/adr/0006). The LANs are
# ordinary networks with a subnet per instance.
#
# The design routes by itself; plan.hcl puts a web server on pc3 that pc1
# opens across the routers (FR-03), so `proeftuin lab verify` has a check
# that fails before the plan and passes after it.

environment "routing" {
  title       = "Static routing over point-to-point links"
  description = "Three routers, two PCs: the packet from pc1 to pc3 crosses r1, r2 and r3."
  version     = "1.0"
}

variable "image" {
  type        = string
  default     = "proeftuin/busybox:1"
  description = "Image of every device: busybox with ip, ping and traceroute."
}

requirement "FR-01" {
  title    = "pc1 reaches pc3 through r1, r2 and r3"
  priority = "must"
}

requirement "FR-02" {
  title    = "Every device has its interfaces in the order of the topology"
  priority = "must"
}

requirement "FR-03" {
  title    = "pc1 opens the web page of pc3 across the routers"
  priority = "must"
}

network "lan1" {
  subnet = "auto"
}

network "lan3" {
  subnet = "auto"
}

network "r1r2" {
  subnet         = "10.16.0.0/30"
  point_to_point = true
}

network "r2r3" {
  subnet         = "10.16.0.4/31"
  point_to_point = true
}

locals {
  r1_lan = cidrhost(network.lan1.subnet, 2)
  pc1    = cidrhost(network.lan1.subnet, 10)
  r3_lan = cidrhost(network.lan3.subnet, 2)
  pc3    = cidrhost(network.lan3.subnet, 10)
  # busybox nc as the HTTP client: the image's static wget crashes.
  get    = "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3"
  sleep  = ["sleep", "86400"]
  router = { "net.ipv4.ip_forward" = "1" }
}

service "r1" {
  image         = var.image
  command       = local.sleep
  sysctls       = local.router
  default_route = false

  network "lan1" { # eth0
    ipv4_address = local.r1_lan
  }
  network "r1r2" { # eth1
    ipv4_address = "10.16.0.1"
  }
  route {
    to  = network.lan3.subnet
    via = "10.16.0.2"
  }
}

service "r2" {
  image   = var.image
  command = local.sleep
  sysctls = local.router

  network "r1r2" { # eth0
    ipv4_address = "10.16.0.2"
  }
  network "r2r3" { # eth1
    ipv4_address = "10.16.0.4"
  }
  route {
    to  = network.lan1.subnet
    via = "10.16.0.1"
  }
  route {
    to  = network.lan3.subnet
    via = "10.16.0.5"
  }
}

service "r3" {
  image         = var.image
  command       = local.sleep
  sysctls       = local.router
  default_route = false

  # Declared first, so eth0, although the engine would put lan3 first.
  network "r2r3" {
    ipv4_address = "10.16.0.5"
  }
  network "lan3" { # eth1
    ipv4_address = local.r3_lan
    mac_address  = "02:16:00:00:03:01"
  }
  route {
    to  = network.lan1.subnet
    via = "10.16.0.4"
  }
}

service "pc1" {
  image         = var.image
  command       = local.sleep
  default_route = false

  network "lan1" {
    ipv4_address = local.pc1
  }
  route {
    to  = "default"
    via = local.r1_lan
  }
}

service "pc3" {
  image         = var.image
  command       = local.sleep
  default_route = false

  network "lan3" {
    ipv4_address = local.pc3
  }
  route {
    to  = "default"
    via = local.r3_lan
  }
}

check "pc1-reaches-pc3" {
  verifies = [requirement.FR-01]
  exec {
    service = "pc1"
    command = ["ping", "-c", "1", "-W", "2", local.pc3]
  }
}

check "path-crosses-three-routers" {
  verifies = [requirement.FR-01]
  exec {
    service        = "pc1"
    command        = ["traceroute", "-n", "-q", "1", "-w", "2", "-m", "6", local.pc3]
    stdout_matches = "(?s) 1 +${replace(local.r1_lan, ".", "\\.")} .* 2 +10\\.16\\.0\\.2 .* 3 +10\\.16\\.0\\.5 .* 4 +${replace(local.pc3, ".", "\\.")} "
  }
}

check "pc1-has-no-bridge-default-route" {
  verifies = [requirement.FR-01]
  exec {
    service = "pc1"
    # busybox ip has no "route show default": keep the default lines.
    command        = ["sh", "-c", "ip route | grep ^default"]
    stdout_matches = "^default via ${replace(local.r1_lan, ".", "\\.")} dev eth0 *\n$"
  }
}

check "r3-interface-order" {
  verifies = [requirement.FR-02]
  exec {
    service        = "r3"
    command        = ["ip", "-o", "-4", "addr", "show"]
    stdout_matches = "(?s)eth0 +inet 10\\.16\\.0\\.5/31 .*eth1 +inet ${replace(local.r3_lan, ".", "\\.")}/"
  }
}

check "r3-mac-address" {
  verifies = [requirement.FR-02]
  exec {
    service         = "r3"
    command         = ["ip", "link", "show", "eth1"]
    stdout_contains = "link/ether 02:16:00:00:03:01"
  }
}

check "r2-has-only-links" {
  verifies = [requirement.FR-02]
  exec {
    service        = "r2"
    command        = ["ip", "-o", "-4", "addr", "show"]
    stdout_matches = "(?s)eth0 +inet 10\\.16\\.0\\.2/30 .*eth1 +inet 10\\.16\\.0\\.4/31 "
  }
}

check "pc1-opens-page-on-pc3" {
  verifies = [requirement.FR-03]
  exec {
    service         = "pc1"
    command         = ["sh", "-c", "${local.get} ${local.pc3} 8080"]
    stdout_contains = "pc3 behind three routers"
  }
}
