# Lab "netwerk": the office network of Installatiebedrijf Van Dijk. Two
# subnets (the office and the servers) joined by a router with a
# firewall, and a DNS server for the company's own names. This file is the
# functional and technical design with the acceptance checks; the
# implementation plan is in plan.hcl.

environment "netwerk" {
  title       = "Kantoornetwerk Van Dijk"
  description = "Twee subnetten, een router met firewall (nftables) en een DNS-server (dnsmasq)"
  version     = "1.0"
}

variable "base_image" {
  type        = string
  default     = "debian:bookworm-slim"
  description = "Debian base image for images/net/Dockerfile"
}

variable "domain" {
  type        = string
  default     = "vandijk.lan"
  description = "The company's own DNS domain"
}

# Every address of the design, computed from the subnets the instance
# gets (two students can run the lab side by side).
locals {
  router_kantoor = cidrhost(network.kantoor.subnet, 254)
  router_servers = cidrhost(network.servers.subnet, 254)
  pc_address     = cidrhost(network.kantoor.subnet, 10)
  intranet       = cidrhost(network.servers.subnet, 10)
  dns_address    = cidrhost(network.servers.subnet, 53)
}

# ---------------------------------------------------------------------------
# Functional design (intake with the office manager, 2026-01-20).

requirement "FR-01" {
  title    = "Werkplekken in het kantoornet bereiken het intranet in het servernet via de router"
  kind     = "functional"
  priority = "must"
  source   = "intake 2026-01-20"
}

requirement "FR-02" {
  title    = "Werkplekken vinden servers op naam (intranet.vandijk.lan) via de eigen DNS-server"
  kind     = "functional"
  priority = "must"
  source   = "intake 2026-01-20"
}

requirement "FR-03" {
  title    = "Medewerkers openen het intranet op http://intranet.vandijk.lan/"
  kind     = "functional"
  priority = "must"
  source   = "intake 2026-01-20"
}

requirement "SEC-01" {
  title       = "Vanuit het servernet kan geen verbinding met werkplekken worden opgezet"
  kind        = "security"
  priority    = "must"
  source      = "security policy"
  description = "Replies and ping are allowed; new connections from the servers to the office are dropped by the router."
}

requirement "SEC-02" {
  title    = "Vanuit het kantoornet zijn alleen de webserver (poort 80) en DNS (poort 53) in het servernet bereikbaar"
  kind     = "security"
  priority = "must"
  source   = "security policy"
}

requirement "NFR-01" {
  title    = "De router stuurt verkeer tussen de subnetten door (IP forwarding staat aan)"
  kind     = "maintainability"
  priority = "should"
  source   = "technical design"
}

# ---------------------------------------------------------------------------
# Technical design. The machines in the subnets start without a default
# gateway (the "ip route del default" in their command): Docker would
# otherwise route between the subnets itself. The plan makes the router
# their gateway.

network "kantoor" {
  subnet = "auto"
}

network "servers" {
  subnet = "auto"
}

service "router" {
  build {
    context = "images/net"
    args = {
      BASE_IMAGE = var.base_image
    }
  }

  network "kantoor" {
    ipv4_address = local.router_kantoor
  }

  network "servers" {
    ipv4_address = local.router_servers
  }

  cap_add = ["NET_ADMIN"]
  sysctls = {
    "net.ipv4.ip_forward" = "1"
  }

  satisfies = [requirement.FR-01, requirement.NFR-01, requirement.SEC-01, requirement.SEC-02]
}

service "dns" {
  build {
    context = "images/net"
    args = {
      BASE_IMAGE = var.base_image
    }
  }

  network "servers" {
    ipv4_address = local.dns_address
  }

  cap_add = ["NET_ADMIN"]
  # A small supervisor, as systemd would be on a server: when dnsmasq
  # stops (the plan's "restart dnsmasq"), it is started again and reads
  # its configuration anew.
  command = ["sh", "-c", "ip route del default 2>/dev/null; trap 'kill $pid 2>/dev/null; exit 0' TERM INT; while :; do dnsmasq --keep-in-foreground --log-facility=- --user=root --conf-dir=/etc/dnsmasq.d & pid=$!; wait $pid; sleep 0.2; done"]

  ready {
    port {
      port     = 53
      protocol = "tcp"
    }
  }

  satisfies = [requirement.FR-02]
}

service "intranet" {
  build {
    context = "images/net"
    args = {
      BASE_IMAGE = var.base_image
    }
  }

  network "servers" {
    ipv4_address = local.intranet
  }

  cap_add = ["NET_ADMIN"]
  # The intranet on port 80, and a management page on 8080 that only the
  # servers themselves may use.
  command = ["sh", "-c", "ip route del default 2>/dev/null; busybox httpd -p 8080 -h /srv/beheer && exec busybox httpd -f -p 80 -h /srv/www"]

  file "/srv/www/index.html" {
    content = "<h1>Intranet Van Dijk</h1>\n"
  }

  file "/srv/beheer/index.html" {
    content = "<h1>Beheer</h1>\n"
  }

  ready {
    port {
      port = 80
    }
  }

  satisfies = [requirement.FR-03]
}

service "pc" {
  build {
    context = "images/net"
    args = {
      BASE_IMAGE = var.base_image
    }
  }

  network "kantoor" {
    ipv4_address = local.pc_address
  }

  cap_add = ["NET_ADMIN"]
  # A fresh workstation: no gateway and no DNS server configured yet, and
  # a remote support service on port 8080 that the servers must not reach.
  command = ["sh", "-c", "ip route del default 2>/dev/null; echo 'nameserver 127.0.0.1' > /etc/resolv.conf && exec busybox httpd -f -p 8080 -h /srv"]

  file "/srv/index.html" {
    content = "<h1>Werkplek</h1>\n"
  }
}

# ---------------------------------------------------------------------------
# Acceptance checks.

check "pc-bereikt-intranet" {
  title    = "De werkplek bereikt de intranetserver op IP-adres"
  verifies = [requirement.FR-01, requirement.NFR-01]
  timeout  = "10s"

  tcp {
    from    = service.pc
    address = "${local.intranet}:80"
  }
}

check "naam-opzoeken" {
  title    = "De werkplek vindt intranet.${var.domain} via de eigen DNS-server"
  verifies = [requirement.FR-02]

  exec {
    service        = service.pc
    command        = ["getent", "hosts", "intranet.${var.domain}"]
    stdout_matches = "^${replace(local.intranet, ".", "\\.")}\\s"
  }
}

check "intranet-op-naam" {
  title    = "De intranetpagina opent op naam"
  verifies = [requirement.FR-03]

  exec {
    service         = service.pc
    command         = ["curl", "-fsS", "--max-time", "5", "http://intranet.${var.domain}/"]
    stdout_contains = "Intranet Van Dijk"
  }
}

# A firewall check must show that the path exists (ping gets through) and
# that the port is closed: "unreachable" alone also passes when the
# network is simply broken.
check "servers-niet-naar-kantoor" {
  title    = "Vanuit het servernet geen nieuwe verbindingen naar werkplekken"
  verifies = [requirement.SEC-01]

  exec {
    service         = service.intranet
    command         = ["sh", "-c", "ping -c 1 -W 2 ${local.pc_address} >/dev/null && echo 'ping: ok' && if nc -z -w 2 ${local.pc_address} 8080; then echo 'poort 8080: open'; exit 1; fi && echo 'poort 8080: dicht'"]
    stdout_contains = "poort 8080: dicht"
  }
}

check "kantoor-alleen-web-en-dns" {
  title    = "Vanuit het kantoornet alleen web en DNS naar het servernet"
  verifies = [requirement.SEC-02]

  exec {
    service         = service.pc
    command         = ["sh", "-c", "nc -z -w 2 ${local.intranet} 80 && echo 'web: open' && if nc -z -w 2 ${local.intranet} 8080; then echo 'beheer: open'; exit 1; fi && echo 'beheer: dicht'"]
    stdout_contains = "beheer: dicht"
  }
}

check "router-forwarding" {
  title    = "IP forwarding staat aan op de router"
  verifies = [requirement.NFR-01]

  exec {
    service        = service.router
    command        = ["cat", "/proc/sys/net/ipv4/ip_forward"]
    stdout_matches = "^1"
  }
}
