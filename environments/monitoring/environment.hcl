# Lab "monitoring": monitoring the web servers of Hosting Noord with
# Prometheus. Two servers run the node exporter; Prometheus scrapes them
# and raises an alert when one is down. This file is the functional and
# technical design with the acceptance checks; the plan is in plan.hcl.

environment "monitoring" {
  title       = "Monitoring Hosting Noord"
  description = "Prometheus en de node exporter op twee servers, met een alertregel"
  version     = "1.0"
}

variable "base_image" {
  type        = string
  default     = "debian:bookworm-slim"
  description = "Debian base image for images/prometheus/Dockerfile"
}

variable "prometheus_port" {
  type        = number
  default     = 9090
  description = "Port on this computer for the Prometheus web interface"
}

locals {
  # The Prometheus API, queried from inside the Prometheus container.
  api = "http://127.0.0.1:9090/api/v1"
}

# ---------------------------------------------------------------------------
# Functional design (intake with the team lead of Hosting Noord, 2026-03-09).

requirement "FR-01" {
  title    = "Prometheus verzamelt elke 5 seconden de meetgegevens van beide webservers"
  kind     = "functional"
  priority = "must"
  source   = "intake 2026-03-09"
}

requirement "FR-02" {
  title    = "Valt een webserver uit, dan gaat binnen een minuut het alarm ServerOnbereikbaar af"
  kind     = "availability"
  priority = "must"
  source   = "intake 2026-03-09"
}

requirement "FR-03" {
  title    = "De alertregels staan in een eigen bestand en zijn door Prometheus geladen"
  kind     = "maintainability"
  priority = "should"
  source   = "technical design"
}

requirement "NFR-01" {
  title    = "De webinterface van Prometheus is alleen op deze computer bereikbaar"
  kind     = "security"
  priority = "should"
  source   = "security policy"
}

# ---------------------------------------------------------------------------
# Technical design.

network "monitoring" {}

service "prometheus" {
  build {
    context = "images/prometheus"
    args = {
      BASE_IMAGE = var.base_image
    }
  }

  command = ["prometheus",
    "--config.file=/etc/prometheus/prometheus.yml",
    "--storage.tsdb.path=/var/lib/prometheus/metrics2",
    "--web.listen-address=:9090",
  "--web.enable-lifecycle"]

  network "monitoring" {}

  port {
    host      = var.prometheus_port
    container = 9090
    host_ip   = "127.0.0.1"
  }

  ready {
    http {
      port = 9090
      path = "/-/ready"
    }
    timeout = "60s"
  }

  satisfies = [requirement.FR-01, requirement.FR-02, requirement.NFR-01]
}

service "web1" {
  build {
    context = "images/prometheus"
    args = {
      BASE_IMAGE = var.base_image
    }
  }
  command = ["prometheus-node-exporter", "--web.listen-address=:9100"]

  network "monitoring" {}

  ready {
    port {
      port = 9100
    }
  }
}

service "web2" {
  build {
    context = "images/prometheus"
    args = {
      BASE_IMAGE = var.base_image
    }
  }
  command = ["prometheus-node-exporter", "--web.listen-address=:9100"]

  network "monitoring" {}

  ready {
    port {
      port = 9100
    }
  }
}

# ---------------------------------------------------------------------------
# Acceptance checks: questions to the Prometheus API (PromQL).

check "beide-servers-gemeten" {
  title    = "Prometheus heeft beide webservers als doel (job servers)"
  verifies = [requirement.FR-01]

  http {
    from         = service.prometheus
    url          = "${local.api}/query?query=count(up%7Bjob%3D%22servers%22%7D)"
    body_matches = "\"value\":\\[[0-9.]+,\"2\"\\]"
  }
}

check "web1-bereikbaar" {
  title    = "web1 wordt gemeten (up = 1)"
  verifies = [requirement.FR-01]

  http {
    from         = service.prometheus
    url          = "${local.api}/query?query=up%7Bjob%3D%22servers%22,instance%3D%22web1:9100%22%7D"
    body_matches = "\"value\":\\[[0-9.]+,\"1\"\\]"
  }
}

# The plan stops web2 as a rehearsal of an outage; the alert fires after
# the rule's "for" time, so this check waits for it.
check "alarm-bij-uitval" {
  title    = "Het alarm ServerOnbereikbaar gaat af voor web2"
  verifies = [requirement.FR-02]
  timeout  = "90s"

  http {
    from          = service.prometheus
    url           = "${local.api}/query?query=ALERTS%7Balertname%3D%22ServerOnbereikbaar%22,alertstate%3D%22firing%22%7D"
    body_contains = "\"instance\":\"web2:9100\""
  }
}

check "regels-geladen" {
  title    = "De regelgroep servers is geladen"
  verifies = [requirement.FR-03]

  http {
    from          = service.prometheus
    url           = "${local.api}/rules"
    body_contains = "\"name\":\"servers\""
  }
}

check "ui-alleen-lokaal" {
  title    = "De webinterface is gepubliceerd op 127.0.0.1"
  verifies = [requirement.NFR-01]

  http {
    url           = "http://127.0.0.1:${var.prometheus_port}/-/healthy"
    body_contains = "Healthy"
  }
}
