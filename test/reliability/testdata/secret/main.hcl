# A lab with a sensitive variable in a service's env, in a command, in a
# file, in a plan step and in checks. The value must appear in no output.
environment "secret" {}

variable "token" {
  type      = string
  default   = "Zeer-Geheim-Token-7781"
  sensitive = true
}

requirement "SEC-01" {
  title    = "The token is configured"
  kind     = "security"
  priority = "must"
}

service "vault" {
  image        = "proeftuin/busybox:1"
  pull         = "never"
  command      = ["sh", "-c", "echo \"token is $TOKEN\"; echo 'arg ${var.token}' >&2; trap 'exit 0' TERM; while true; do sleep 1; done"]
  stop_timeout = "1s"
  env = {
    TOKEN = var.token
  }
  file "/etc/vault.conf" {
    content = "token = ${var.token}\n"
  }
  ready {
    log {
      pattern = "token is"
    }
    timeout = "30s"
  }
}

plan "secret" {}

step "use-token" {
  implements = [requirement.SEC-01]
  exec {
    service = service.vault
    command = ["sh", "-c", "echo \"env $TOKEN\"; echo 'arg ${var.token}' >&2; cat /etc/vault.conf"]
  }
  check "token-in-file" {
    exec {
      service         = service.vault
      command         = ["cat", "/etc/vault.conf"]
      stdout_contains = var.token
    }
  }
  check "token-fails" {
    exec {
      service         = service.vault
      command         = ["sh", "-c", "echo $TOKEN; exit 1"]
      stdout_contains = "${var.token}-not"
    }
  }
  on_failure = "continue"
}

check "token-configured" {
  verifies = [requirement.SEC-01]
  exec {
    service         = service.vault
    command         = ["cat", "/etc/vault.conf"]
    stdout_contains = var.token
  }
}
