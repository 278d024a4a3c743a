# A lab with a step that takes long, to interrupt it and resume the run.
environment "slow" {}

variable "image" {
  type    = string
  default = "proeftuin/busybox:1"
}

variable "sleep" {
  type    = number
  default = 30
}

requirement "FR-01" {
  title    = "The marker is written"
  priority = "must"
}

service "box" {
  image        = var.image
  command      = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
  stop_timeout = "1s"
}

plan "slow" {}

step "first" {
  implements = [requirement.FR-01]

  exec {
    service = service.box
    command = ["sh", "-c", "echo first >> /tmp/log"]
  }

  check "marker" {
    exec {
      service         = service.box
      command         = ["cat", "/tmp/log"]
      stdout_contains = "first"
    }
  }
}

step "sleepy" {
  exec {
    service = service.box
    command = ["sleep", "${var.sleep}"]
  }
}

step "last" {
  exec {
    service = service.box
    command = ["sh", "-c", "echo last >> /tmp/log"]
  }
}
