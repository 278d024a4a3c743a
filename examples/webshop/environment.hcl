# The webshop of Bakkerij Jansen: the full example of the language.
# Functional design (requirements), technical design (networks, volumes,
# services), acceptance checks. The implementation plan is in plan.hcl.

environment "webshop" {
  title       = "Webshop Bakkerij Jansen"
  description = "Testomgeving voor de nieuwe webshop"
  version     = "1.0"
}

variable "base_image" {
  type        = string
  default     = "debian:bookworm-slim"
  description = "Debian base for the images this lab builds (tests use a local one)."
}

variable "web_port" {
  type        = number
  default     = 8080
  description = "Host port for the shop"

  validation {
    condition     = var.web_port >= 1024
    error_message = "Use a port of 1024 or higher; lower ports need root on the host."
  }
}

variable "db_password" {
  type        = string
  default     = "oefenen"
  sensitive   = true # never printed in plans, logs or reports
  description = "Root password of the shop database."
}

locals {
  db_address = cidrhost(network.backend.subnet, 10)
  shop_name  = "Bakkerij Jansen"
}

# ---------------------------------------------------------------------------
# Functional design: what the client asked for (B1-K1-W1/W2).

requirement "FR-01" {
  title    = "Customers open the shop on http://localhost:8080"
  kind     = "functional"
  priority = "must"
  source   = "intake 2026-03-12"
}

requirement "FR-02" {
  title       = "Orders are stored in the shop database"
  priority    = "must"
  source      = "intake 2026-03-12"
  description = "The database shop has a table orders."
}

requirement "SEC-01" {
  title    = "The database is not reachable from the frontend network"
  kind     = "security"
  priority = "must"
}

requirement "NFR-01" {
  title    = "The shop answers within a second"
  kind     = "performance"
  priority = "could"
}

# ---------------------------------------------------------------------------
# Technical design (B1-K1-W3).

network "frontend" {}

network "backend" {
  internal = true
  subnet   = "auto" # a free /24 is allocated per instance
}

volume "dbdata" {}

service "db" {
  build {
    context = "images/db"
    args = {
      BASE_IMAGE = var.base_image
    }
  }

  network "backend" {
    ipv4_address = local.db_address
    aliases      = ["database"]
  }

  env = {
    MARIADB_ROOT_PASSWORD = var.db_password
    MARIADB_DATABASE      = "shop"
  }

  mount {
    volume = volume.dbdata
    target = "/var/lib/mysql"
  }

  file "/seed/schema.sql" {
    source = "files/schema.sql"
    mode   = "0644"
  }

  ready {
    exec {
      command = ["mariadb-admin", "ping", "--silent"]
    }
    timeout = "60s"
  }

  resources {
    memory = "512m"
    cpus   = 1
  }

  restart   = "unless-stopped"
  satisfies = [requirement.FR-02]
}

service "web" {
  build {
    context = "images/web"
    args = {
      BASE_IMAGE = var.base_image
    }
  }

  depends_on = [service.db]

  network "frontend" {}
  network "backend" {}

  port {
    host      = var.web_port
    container = 80
  }

  file "/etc/nginx/conf.d/shop.conf" {
    content = templatefile("files/shop.conf.tpl", {
      db        = "db"
      db_addr   = local.db_address
      shop_name = local.shop_name
    })
  }

  file "/var/www/shop/index.html" {
    content = "<h1>Welkom bij ${local.shop_name}</h1>\n"
  }

  ready {
    http {
      port = 80
      path = "/"
    }
  }

  healthcheck {
    test     = ["CMD-SHELL", "curl -fsS http://127.0.0.1/ >/dev/null"]
    interval = "5s"
    timeout  = "2s"
    retries  = 3
  }

  labels = {
    "nl.bakkerij-jansen.role" = "frontend"
  }

  satisfies = [requirement.FR-01, requirement.NFR-01]
}

# A customer's machine: only on the frontend network.
service "client" {
  image   = var.base_image
  command = ["sleep", "infinity"]

  network "frontend" {}
}

# ---------------------------------------------------------------------------
# Acceptance checks (P1-K1-W2): each says which requirement it verifies.

check "shop-answers" {
  title    = "The shop page opens"
  verifies = [requirement.FR-01]

  http {
    url           = "http://127.0.0.1:${var.web_port}/"
    status        = 200
    body_contains = "Welkom"
  }
}

check "orders-table" {
  title    = "The orders table exists"
  verifies = [requirement.FR-02]
  timeout  = "20s"

  exec {
    service        = service.db
    command        = ["mariadb", "-N", "-e", "SHOW TABLES FROM shop"]
    stdout_matches = "(?m)^orders$"
  }
}

check "db-isolated" {
  title    = "The database cannot be reached from the frontend network"
  verifies = [requirement.SEC-01]

  tcp {
    from      = service.client # probed from inside that container
    address   = "db:3306"
    reachable = false
  }
}

check "db-name-resolves" {
  title    = "The web server finds the database by name"
  verifies = [requirement.FR-02]

  dns {
    from = service.web
    name = "database"
  }
}
