# A lab with a sensitive variable in a service's env and in a command.
environment "secret" {}

variable "image" {
  type    = string
  default = "proeftuin/busybox:1"
}

variable "db_password" {
  type      = string
  default   = "Geheim-Wachtwoord-42"
  sensitive = true
}

requirement "SEC-01" {
  title    = "The password is set"
  kind     = "security"
  priority = "must"
}

service "db" {
  image        = var.image
  command      = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
  stop_timeout = "1s"
  env = {
    PASSWORD = var.db_password
  }
}

plan "secret" {}

step "use-password" {
  implements = [requirement.SEC-01]

  exec {
    service = service.db
    command = ["sh", "-c", "echo \"env says $PASSWORD\"; echo 'arg says ${var.db_password}' >&2"]
  }

  check "password-echo" {
    exec {
      service         = service.db
      command         = ["sh", "-c", "echo \"$PASSWORD\"; exit 1"]
      stdout_contains = "${var.db_password}"
    }
  }
}
