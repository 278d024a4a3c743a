# Implementation plan: check the exporters, configure the scrape targets
# and the alert rules, load them, and rehearse an outage.

plan "invoering" {
  title       = "Invoeringsplan monitoring Hosting Noord"
  description = "Exporters, scrapeconfiguratie, alertregels, herladen en een uitval-oefening."
}

step "exporters" {
  title = "Controleer dat de node exporter op beide servers antwoordt"

  exec {
    service = service.prometheus
    command = ["sh", "-c", "curl -fsS http://web1:9100/metrics | grep -q '^node_uname_info' && curl -fsS http://web2:9100/metrics | grep -q '^node_uname_info'"]
  }
}

step "scrapeconfig" {
  title      = "Zet de webservers in prometheus.yml"
  implements = [requirement.FR-01]

  copy {
    service = service.prometheus
    source  = "files/prometheus.yml"
    target  = "/etc/prometheus/prometheus.yml"
  }

  exec {
    service = service.prometheus
    command = ["promtool", "check", "config", "--syntax-only", "/etc/prometheus/prometheus.yml"]
  }
}

step "alertregels" {
  title      = "Zet de alertregels neer"
  implements = [requirement.FR-02, requirement.FR-03]

  copy {
    service = service.prometheus
    source  = "files/servers.rules.yml"
    target  = "/etc/prometheus/rules/servers.rules.yml"
  }

  exec {
    service = service.prometheus
    command = ["promtool", "check", "rules", "/etc/prometheus/rules/servers.rules.yml"]
  }
}

step "herladen" {
  title      = "Laad de nieuwe configuratie in Prometheus"
  implements = [requirement.FR-01, requirement.FR-03]

  http {
    from   = service.prometheus
    method = "POST"
    url    = "http://127.0.0.1:9090/-/reload"
  }

  check "doelen-up" {
    http {
      from         = service.prometheus
      url          = "${local.api}/query?query=count(up%7Bjob%3D%22servers%22%7D%3D%3D1)"
      body_matches = "\"value\":\\[[0-9.]+,\"2\"\\]"
    }
    timeout = "60s"
  }
}

step "uitval-oefenen" {
  title      = "Oefen een storing: zet web2 uit"
  implements = [requirement.FR-02]

  stop {
    service = service.web2
  }

  check "web2-gestopt" {
    service {
      service = service.web2
      state   = "stopped"
    }
  }
}
