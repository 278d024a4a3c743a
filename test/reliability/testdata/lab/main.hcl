# The lab the interrupt trials and the engine-fault tests run against: four
# services on two networks (one with an auto subnet), a volume, files and
# readiness that takes a moment, so there is time to interrupt `up`; a plan
# whose steps take a moment, so there is time to interrupt `run`.
environment "rel" {
  title = "reliability lab"
}

variable "image" {
  type    = string
  default = "proeftuin/busybox:1"
}

variable "step_sleep" {
  type    = number
  default = 1
}

requirement "FR-01" {
  title    = "The web page answers"
  priority = "must"
}

network "front" {}

network "data" {
  subnet = "auto"
}

volume "store" {}

service "db" {
  image        = var.image
  pull         = "never"
  command      = ["sh", "-c", "trap 'exit 0' TERM; sleep 1; echo 'db ready'; while true; do sleep 1; done"]
  stop_timeout = "1s"
  network "data" {
    ipv4_address = cidrhost(network.data.subnet, 10)
  }
  mount {
    volume = volume.store
    target = "/data"
  }
  ready {
    log {
      pattern = "db ready"
    }
    timeout = "30s"
  }
}

service "api" {
  image      = var.image
  pull       = "never"
  command    = ["httpd", "-f", "-p", "8080", "-h", "/srv"]
  depends_on = [service.db]
  network "data" {}
  network "front" {}
  file "/srv/index.html" {
    content = "api\n"
  }
  ready {
    port {
      port = 8080
    }
    timeout = "30s"
  }
}

service "web" {
  image      = var.image
  pull       = "never"
  command    = ["httpd", "-f", "-p", "80", "-h", "/www"]
  depends_on = [service.api]
  network "front" {}
  port {
    container = 80
  }
  file "/www/index.html" {
    content = "welcome\n"
  }
  ready {
    http {
      port = 80
      path = "/index.html"
    }
    timeout = "30s"
  }
}

service "worker" {
  image        = var.image
  pull         = "never"
  command      = ["sh", "-c", "trap 'exit 0' TERM; sleep 1; touch /tmp/ok; while true; do sleep 1; done"]
  stop_timeout = "1s"
  depends_on   = [service.db]
  network "data" {}
  ready {
    exec {
      command = ["test", "-f", "/tmp/ok"]
    }
    timeout = "30s"
  }
}

plan "rollout" {}

step "prepare" {
  implements = [requirement.FR-01]
  exec {
    service = service.db
    command = ["sh", "-c", "sleep ${var.step_sleep}; echo prepared >> /data/log"]
  }
}

step "configure" {
  exec {
    service = service.api
    command = ["sh", "-c", "sleep ${var.step_sleep}; echo configured > /srv/state"]
  }
  check "configured" {
    exec {
      service         = service.api
      command         = ["cat", "/srv/state"]
      stdout_contains = "configured"
    }
  }
}

step "publish" {
  exec {
    service = service.web
    command = ["sh", "-c", "sleep ${var.step_sleep}; echo published > /www/state.html"]
  }
  check "page" {
    exec {
      service         = service.web
      command         = ["cat", "/www/state.html"]
      stdout_contains = "published"
    }
  }
}

check "welcome-page" {
  verifies = [requirement.FR-01]
  exec {
    service         = service.web
    command         = ["cat", "/www/index.html"]
    stdout_contains = "welcome"
  }
}
