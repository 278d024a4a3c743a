# Lab "webserver": the webshop of De Appelboom on a LEMP stack (Linux,
# nginx, MariaDB, PHP-FPM). This file is the functional design
# (requirements) and the technical design (networks, volume, services),
# with the acceptance checks. The implementation plan is in plan.hcl.

environment "webserver" {
  title       = "Webwinkel De Appelboom"
  description = "nginx, PHP-FPM en MariaDB op twee netwerken, met HTTPS"
  version     = "1.0"
}

variable "base_image" {
  type        = string
  default     = "debian:bookworm-slim"
  description = "Debian base image for images/*/Dockerfile"
}

variable "http_port" {
  type        = number
  default     = 8080
  description = "Port on this computer for plain HTTP (redirects to HTTPS)"
}

variable "https_port" {
  type        = number
  default     = 8443
  description = "Port on this computer for the shop over HTTPS"
}

variable "db_root_password" {
  type        = string
  default     = "Appelboom-root-2026"
  sensitive   = true
  description = "Password of the MariaDB root account"
  validation {
    condition     = strlen(var.db_root_password) >= 12
    error_message = "Use a root password of at least 12 characters."
  }
}

variable "app_password" {
  type        = string
  default     = "winkel-lezen-2026"
  sensitive   = true
  description = "Password of the database account the web application uses"
}

locals {
  db_address = cidrhost(network.backend.subnet, 10)
}

# ---------------------------------------------------------------------------
# Functional design (intake with the owner of De Appelboom, 2026-02-03).

requirement "FR-01" {
  title    = "Klanten openen de webwinkel via HTTPS op https://localhost:8443/"
  kind     = "functional"
  priority = "must"
  source   = "intake 2026-02-03"
}

requirement "FR-02" {
  title       = "De webwinkel toont het assortiment uit de database"
  kind        = "functional"
  priority    = "must"
  source      = "intake 2026-02-03"
  description = "The page lists the products of table producten in database winkel."
}

requirement "SEC-01" {
  title    = "De database is niet bereikbaar vanaf het frontend-netwerk"
  kind     = "security"
  priority = "must"
  source   = "security policy"
}

requirement "SEC-02" {
  title    = "Het root-account van de database heeft een wachtwoord; zonder wachtwoord inloggen lukt niet"
  kind     = "security"
  priority = "must"
  source   = "security policy"
}

requirement "SEC-03" {
  title    = "De webapplicatie gebruikt een eigen databaseaccount dat alleen mag lezen"
  kind     = "security"
  priority = "should"
  source   = "security policy"
}

requirement "SEC-04" {
  title    = "Wie http://localhost:8080/ opent, wordt doorgestuurd naar HTTPS"
  kind     = "security"
  priority = "should"
  source   = "intake 2026-02-03"
}

requirement "AV-01" {
  title    = "De webserver wordt bewaakt met een health check en start na een storing vanzelf opnieuw"
  kind     = "availability"
  priority = "should"
  source   = "intake 2026-02-03"
}

# ---------------------------------------------------------------------------
# Technical design.

network "frontend" {}

network "backend" {
  internal = true   # no route to the outside world
  subnet   = "auto" # a free /24 for every instance
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
  }

  mount {
    volume = volume.dbdata
    target = "/var/lib/mysql"
  }

  ready {
    exec {
      command = ["mariadb-admin", "ping", "--silent"]
    }
    timeout = "60s"
  }

  resources {
    memory = "512m"
  }

  satisfies = [requirement.FR-02, requirement.SEC-01]
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
    host      = var.http_port
    container = 80
  }

  port {
    host      = var.https_port
    container = 443
  }

  # PHP-FPM passes these to the application (see files/php-fpm-winkel.conf).
  env = {
    DB_HOST     = "db"
    DB_NAME     = "winkel"
    DB_USER     = "winkel"
    DB_PASSWORD = var.app_password
  }

  ready {
    port {
      port = 80
    }
  }

  healthcheck {
    test     = ["CMD-SHELL", "curl -fsk https://127.0.0.1/ >/dev/null"]
    interval = "3s"
    timeout  = "2s"
    retries  = 2
  }

  restart   = "unless-stopped"
  satisfies = [requirement.FR-01, requirement.FR-02, requirement.AV-01]
}

# A customer's computer: only on the frontend network.
service "klant" {
  build {
    context = "images/web"
    args = {
      BASE_IMAGE = var.base_image
    }
  }
  entrypoint = ["sh", "-c", "trap 'exit 0' TERM INT; sleep infinity & wait"]

  network "frontend" {}
}

# ---------------------------------------------------------------------------
# Acceptance checks (the acceptance test with the owner).

check "winkel-https" {
  title    = "De webwinkel opent via HTTPS"
  verifies = [requirement.FR-01]

  http {
    url           = "https://127.0.0.1:${var.https_port}/"
    status        = 200
    body_contains = "Webwinkel De Appelboom"
  }
}

check "assortiment-op-pagina" {
  title    = "De pagina toont producten uit de database"
  verifies = [requirement.FR-02]

  http {
    url           = "https://127.0.0.1:${var.https_port}/"
    body_contains = "Appeltaart"
  }
}

check "assortiment-in-database" {
  title    = "De tabel producten bevat het assortiment"
  verifies = [requirement.FR-02]

  exec {
    service        = service.db
    command        = ["mariadb", "-N", "-e", "SELECT COUNT(*) FROM winkel.producten"]
    stdout_matches = "^[1-9][0-9]*\\s*$"
  }
}

check "database-afgeschermd" {
  title    = "Vanaf het frontend-netwerk is de database niet bereikbaar"
  verifies = [requirement.SEC-01]
  timeout  = "10s"

  tcp {
    from      = service.klant
    address   = "${local.db_address}:3306"
    reachable = false
  }
}

# Both halves matter: without a password root is refused, with the
# password root gets in (so the refusal is not just a broken server).
check "root-wachtwoord" {
  title    = "root komt alleen met het wachtwoord binnen"
  verifies = [requirement.SEC-02]

  exec {
    service = service.db
    command = ["sh", "-c", "if mariadb -h 127.0.0.1 -u root --skip-password -e 'SELECT 1' 2>/dev/null; then echo 'root zonder wachtwoord: toegang'; exit 1; fi; mariadb -h 127.0.0.1 -u root -p\"$PW\" -N -e 'SELECT \"root met wachtwoord: toegang\"'"]
    env = {
      PW = var.db_root_password
    }
    stdout_contains = "root met wachtwoord: toegang"
  }
}

check "app-account-alleen-lezen" {
  title    = "Het account winkel mag alleen lezen"
  verifies = [requirement.SEC-03]

  exec {
    service        = service.db
    command        = ["mariadb", "-N", "-e", "SHOW GRANTS FOR 'winkel'@'%'"]
    stdout_matches = "GRANT SELECT ON `winkel`\\.\\* TO `winkel`@`%`"
  }
}

check "http-naar-https" {
  title    = "HTTP stuurt door naar HTTPS"
  verifies = [requirement.SEC-04]

  http {
    url    = "http://127.0.0.1:${var.http_port}/"
    status = 301
    header = {
      Location = "https://"
    }
  }
}

check "webserver-gezond" {
  title    = "Docker meldt de webserver gezond"
  verifies = [requirement.AV-01]
  timeout  = "30s"

  service {
    service = service.web
    state   = "healthy"
  }
}
