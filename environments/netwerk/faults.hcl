# Troubleshooting exercises (proeftuin fault): each breaks the finished
# office network on purpose; the student gets only the ticket.

fault "route-weg" {
  title    = "De default route van de werkplek is verwijderd"
  ticket   = { nl = "Vanaf mijn computer kan ik het intranet niet meer bereiken.", en = "I can no longer reach the intranet from my computer." }
  priority = "high"
  category = "network"
  hints    = ["Kan de werkplek de router pingen? En de intranetserver?", "Bekijk de routetabel van de werkplek (ip route)."]

  inject {
    exec {
      service = service.pc
      command = ["ip", "route", "del", "default"]
    }
  }

  recovered {
    checks = [check.pc-bereikt-intranet]
  }

  solution {
    exec {
      service = service.pc
      command = ["ip", "route", "replace", "default", "via", local.router_kantoor]
    }
  }
}

fault "verkeerd-dns-record" {
  title    = "Het DNS-record van het intranet wijst naar een verkeerd adres"
  ticket   = { nl = "Het intranet opent niet meer op naam; op IP-adres lukt het wel.", en = "The intranet no longer opens by name; by IP address it still works." }
  priority = "medium"
  category = "configuration"
  hints    = ["Welk adres geeft de DNS-server voor de naam van het intranet?", "Kijk in /etc/bedrijf.hosts op de DNS-server."]

  inject {
    exec {
      service = service.dns
      command = ["sh", "-c", "sed -i 's/^${replace(local.intranet, ".", "\\.")}\\s/${local.pc_address} /' /etc/bedrijf.hosts && old=$(pidof dnsmasq); kill $old; for i in $(seq 1 40); do new=$(pidof dnsmasq) && [ \"$new\" != \"$old\" ] && exit 0; sleep 0.25; done; exit 1"]
    }
  }

  recovered {
    checks = [check.naam-opzoeken, check.intranet-op-naam]
  }

  solution {
    exec {
      service = service.dns
      command = ["sh", "-c", "sed -i 's/^${replace(local.pc_address, ".", "\\.")}\\s/${local.intranet} /' /etc/bedrijf.hosts && old=$(pidof dnsmasq); kill $old; for i in $(seq 1 40); do new=$(pidof dnsmasq) && [ \"$new\" != \"$old\" ] && exit 0; sleep 0.25; done; exit 1"]
    }
  }
}
