plan "rollout" {
  title = "Everything passes"
}

step "pages" {
  title      = "Put the pages in place"
  implements = [requirement.FR-01]

  copy {
    service = service.web
    source  = "files/site"
    target  = "/www/site"
    owner   = "33:33"
  }

  exec {
    service    = service.web
    command    = ["sh", "-c", "cat > about.html; echo \"$GREETING from $(pwd)\""]
    workdir    = "/www"
    env        = { GREETING = "hallo" }
    stdin_file = "files/about.html"
  }

  check "about" {
    http {
      url           = "http://127.0.0.1:${var.web_port}/about.html"
      body_contains = "Over ons"
    }
  }

  check "site-owner" {
    exec {
      service         = service.web
      command         = ["stat", "-c", "%u:%g", "/www/site/css/style.css"]
      stdout_contains = "33:33"
    }
  }
}

step "restart" {
  title = "Restart and wait"

  restart {
    service = service.web
  }

  wait {
    service = service.web
    port {
      port = 8080
    }
    timeout = "20s"
  }

  http {
    url    = "http://127.0.0.1:${var.web_port}/site/index.html"
    status = 200
  }
}

step "stop-start" {
  title = "Stop and start again"

  stop {
    service = service.web
  }

  start {
    service = service.web
  }

  wait {
    service = service.web
    port {
      port = 8080
    }
  }

  check "running" {
    service {
      service = service.web
    }
  }
}
