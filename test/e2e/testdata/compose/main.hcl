# Compose parity: an env file, secrets from a sensitive variable and from
# a file, expose. The secret values must reach /run/secrets only.
environment "compose" {}

variable "db_password" {
  type      = string
  default   = "Wachtwoord-Uit-Variabele-4417"
  sensitive = true
}

requirement "APP-01" {
  title    = "The app gets its settings and secrets"
  priority = "must"
}

secret "db_password" {
  source = var.db_password
}

secret "api_key" {
  file  = "api_key.txt"
  mode  = "0440"
  owner = "0:100"
}

service "app" {
  image        = "proeftuin/busybox:1"
  pull         = "never"
  command      = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
  stop_timeout = "1s"
  env_file     = "app.env"
  env          = { MODE = "lab" }
  expose       = [8080]
  secrets      = [secret.db_password, "api_key"]
}

check "env-file" {
  verifies = [requirement.APP-01]
  exec {
    service         = service.app
    command         = ["sh", "-c", "echo $GREETING/$MODE"]
    stdout_contains = "hallo wereld/lab"
  }
}

check "secret-mode" {
  verifies = [requirement.APP-01]
  file {
    service = service.app
    path    = "/run/secrets/db_password"
    mode    = "0400"
  }
}
