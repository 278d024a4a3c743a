# Implementation plan: the DNS server, the gateways, the firewall and the
# workstation's resolver, in that order. The configuration files are
# templates in files/, filled in with this instance's addresses.

plan "invoering" {
  title       = "Invoeringsplan kantoornetwerk Van Dijk"
  description = "DNS, routering, firewall en de werkplek."
}

step "dns-server" {
  title      = "Configureer dnsmasq met de namen van het bedrijf"
  implements = [requirement.FR-02]

  exec {
    service = service.dns
    command = ["sh", "-c", "printf '%s' \"$CONF\" > /etc/dnsmasq.d/bedrijf.conf && printf '%s' \"$HOSTS\" > /etc/bedrijf.hosts"]
    env = {
      CONF = templatefile("files/dnsmasq-bedrijf.conf.tpl", { domain = var.domain })
      HOSTS = templatefile("files/bedrijf.hosts.tpl", {
        domain   = var.domain
        intranet = local.intranet
        dns      = local.dns_address
        router   = local.router_servers
      })
    }
  }

  exec {
    service = service.dns
    command = ["dnsmasq", "--test", "--conf-dir=/etc/dnsmasq.d"]
  }

  # Restart dnsmasq so it reads the new configuration, and wait until it
  # answers again.
  exec {
    service = service.dns
    command = ["sh", "-c", "old=$(pidof dnsmasq); kill $old; for i in $(seq 1 40); do new=$(pidof dnsmasq) && [ \"$new\" != \"$old\" ] && exit 0; sleep 0.25; done; echo 'dnsmasq did not start again' >&2; exit 1"]
  }

  retry {
    attempts = 3
    delay    = "2s"
  }

  check "dnsmasq-antwoordt" {
    exec {
      service         = service.dns
      command         = ["busybox", "nslookup", "intranet.${var.domain}", "127.0.0.1"]
      stdout_contains = local.intranet
    }
  }
}

step "routering" {
  title      = "Maak de router de default gateway van beide subnetten"
  implements = [requirement.FR-01]

  exec {
    service = service.pc
    command = ["ip", "route", "replace", "default", "via", local.router_kantoor]
  }

  exec {
    service = service.intranet
    command = ["ip", "route", "replace", "default", "via", local.router_servers]
  }

  exec {
    service = service.dns
    command = ["ip", "route", "replace", "default", "via", local.router_servers]
  }

  check "ping-intranet" {
    exec {
      service = service.pc
      command = ["ping", "-c", "1", "-W", "2", local.intranet]
    }
  }
}

step "firewall" {
  title      = "Laad de firewallregels op de router (nftables)"
  implements = [requirement.SEC-01, requirement.SEC-02]

  exec {
    service = service.router
    command = ["sh", "-c", "printf '%s' \"$RULES\" > /etc/nftables.conf && nft -c -f /etc/nftables.conf && nft -f /etc/nftables.conf"]
    env = {
      RULES = templatefile("files/nftables.conf.tpl", {
        kantoor  = network.kantoor.subnet
        servers  = network.servers.subnet
        intranet = local.intranet
        dns      = local.dns_address
      })
    }
  }

  check "regels-geladen" {
    exec {
      service         = service.router
      command         = ["nft", "list", "chain", "inet", "vandijk", "forward"]
      stdout_contains = "policy drop"
    }
  }
}

step "werkplek-dns" {
  title      = "Stel de DNS-server in op de werkplek"
  implements = [requirement.FR-02]

  exec {
    service = service.pc
    command = ["sh", "-c", "printf 'search ${var.domain}\\nnameserver ${local.dns_address}\\n' > /etc/resolv.conf"]
  }

  check "resolver" {
    file {
      service  = service.pc
      path     = "/etc/resolv.conf"
      contains = "nameserver ${local.dns_address}"
    }
  }
}

step "intranet-testen" {
  title      = "Test het intranet vanaf de werkplek, op naam"
  implements = [requirement.FR-03]

  exec {
    service = service.pc
    command = ["curl", "-fsS", "--max-time", "5", "-o", "/dev/null", "http://intranet/"]
  }

  check "pagina" {
    exec {
      service         = service.pc
      command         = ["curl", "-fsS", "--max-time", "5", "http://intranet.${var.domain}/"]
      stdout_contains = "Intranet"
    }
  }
}
