plan "mixed" {
  title = "Plan with every outcome"
}

step "write-page" {
  title      = "Write the page"
  implements = [requirement.FR-01]

  exec {
    service = service.web
    command = ["sh", "-c", "echo '<h1>shop</h1>' > /www/index.html && echo written"]
  }

  check "page" {
    http {
      url           = "http://127.0.0.1:${var.web_port}/"
      body_contains = "shop"
    }
  }
}

step "flaky" {
  title = "Passes on its second attempt"

  exec {
    service = service.web
    command = ["sh", "-c", "test -f /tmp/once || { touch /tmp/once; echo first >&2; exit 1; }"]
  }

  retry {
    attempts = 3
    delay    = "200ms"
  }
}

step "config" {
  title = "Copy the configuration"

  copy {
    service = service.web
    source  = "files/app.conf"
    target  = "/etc/app/app.conf"
    mode    = "0600"
  }

  check "config-present" {
    file {
      service  = service.web
      path     = "/etc/app/app.conf"
      contains = "color = green"
      mode     = "0600"
    }
  }

  rollback {
    exec {
      service = service.web
      command = ["rm", "-f", "/etc/app/app.conf"]
    }
  }
}

step "optional" {
  title      = "Install an optional tool"
  implements = [requirement.FR-02]
  on_failure = "continue"

  exec {
    service = service.web
    command = ["sh", "-c", "echo no such tool >&2; exit 3"]
  }

  check "tool" {
    exec {
      service = service.web
      command = ["true"]
    }
  }
}

step "guarded" {
  title      = "A change that fails and is rolled back"
  implements = [requirement.FR-03]
  on_failure = "rollback"

  exec {
    service = service.web
    command = ["touch", "/tmp/guarded"]
  }

  check "impossible" {
    file {
      service = service.web
      path    = "/tmp/does-not-exist"
    }
  }

  rollback {
    exec {
      service = service.web
      command = ["rm", "/tmp/guarded"]
    }
    exec {
      service = service.web
      command = ["touch", "/tmp/rolled-back"]
    }
  }
}

step "never" {
  title = "Never runs"

  exec {
    service = service.web
    command = ["touch", "/tmp/never"]
  }
}
