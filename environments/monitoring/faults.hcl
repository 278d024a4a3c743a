# Troubleshooting exercises (proeftuin fault): each breaks the finished
# monitoring on purpose; the student gets only the ticket. (After the plan
# web2 is stopped: its alert fires, which the first fault relies on.)

fault "verkeerde-drempel" {
  title    = "De alertregel kijkt naar up == 2 in plaats van up == 0"
  ticket   = { nl = "web2 ligt al de hele ochtend plat, maar er kwam geen alarm.", en = "web2 has been down all morning, but no alert was raised." }
  priority = "high"
  category = "configuration"
  hints    = ["Welke alerts staan er in Prometheus, en in welke toestand?", "Lees de expressie van de regel ServerOnbereikbaar na."]

  inject {
    exec {
      service = service.prometheus
      command = ["sh", "-c", "sed -i 's/up{job=\"servers\"} == 0/up{job=\"servers\"} == 2/' /etc/prometheus/rules/servers.rules.yml && curl -fsS -X POST http://127.0.0.1:9090/-/reload && sleep 6"]
    }
  }

  recovered {
    checks = [check.alarm-bij-uitval]
  }

  solution {
    exec {
      service = service.prometheus
      command = ["sh", "-c", "sed -i 's/up{job=\"servers\"} == 2/up{job=\"servers\"} == 0/' /etc/prometheus/rules/servers.rules.yml && curl -fsS -X POST http://127.0.0.1:9090/-/reload"]
    }
  }
}

fault "exporter-web1-uit" {
  title    = "De node exporter van web1 is gestopt"
  ticket   = { nl = "Het dashboard toont geen cijfers meer van web1.", en = "The dashboard no longer shows any figures for web1." }
  priority = "medium"
  category = "service"
  hints    = ["Welke doelen ziet Prometheus als down?", "Draait de container van web1 nog?"]

  inject {
    stop {
      service = service.web1
    }
    # Two scrape intervals, so Prometheus has noticed.
    exec {
      service = service.prometheus
      command = ["sleep", "11"]
    }
  }

  recovered {
    checks = [check.web1-bereikbaar]
  }

  solution {
    start {
      service = service.web1
    }
  }
}
