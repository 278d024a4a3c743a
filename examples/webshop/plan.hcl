# The implementation plan (B1-K2-W1/W2): what to do, in which order, and how
# each step is checked.

plan "rollout" {
  title       = "Implementation plan webshop v1"
  description = "Create the shop database, then publish the shop."
}

step "schema" {
  title      = "Create the shop database"
  implements = [requirement.FR-02]

  exec {
    service = service.db
    command = ["sh", "-c", "mariadb < /seed/schema.sql"]
  }

  check "tables" {
    exec {
      service        = service.db
      command        = ["mariadb", "-N", "-e", "SHOW TABLES FROM shop"]
      stdout_matches = "orders"
    }
  }

  timeout = "2m"

  retry {
    attempts = 3
    delay    = "2s"
  }

  on_failure = "rollback" # stop | continue | rollback

  rollback {
    exec {
      service = service.db
      command = ["mariadb", "-e", "DROP DATABASE IF EXISTS shop"]
    }
  }
}

step "publish" {
  title      = "Publish the shop page"
  implements = [requirement.FR-01]

  copy {
    service = service.web
    source  = "files/index.html"
    target  = "/var/www/shop/index.html"
    mode    = "0644"
  }

  restart {
    service = service.web
  }

  wait {
    service = service.web
    http {
      port = 80
      path = "/"
    }
    timeout = "30s"
  }

  check "page" {
    http {
      url           = "http://127.0.0.1:${var.web_port}/"
      body_contains = "Bakkerij Jansen"
    }
  }

  check "process" {
    process {
      service = service.web
      name    = "nginx"
    }
  }
}
