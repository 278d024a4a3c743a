plan "unit-plan" {
  title = "Unit plan"
}

step "one" {
  title      = "Step one"
  implements = [requirement.FR-01]

  exec {
    service = service.web
    command = ["one"]
  }

  check "one-done" {
    exec {
      service = service.web
      command = ["check-one"]
    }
  }

  rollback {
    exec {
      service = service.web
      command = ["undo-one"]
    }
  }
}

step "two" {
  exec {
    service = service.web
    command = ["two", var.secret]
    env     = { PASSWORD = var.secret }
  }

  retry {
    attempts = 3
    delay    = "1ms"
  }

  rollback {
    exec {
      service = service.web
      command = ["undo-two"]
    }
    exec {
      service = service.web
      command = ["undo-two-more"]
    }
  }
}

step "three" {
  implements = [requirement.FR-02]
  on_failure = "rollback"

  exec {
    service = service.web
    command = ["three"]
  }

  check "three-done" {
    exec {
      service = service.web
      command = ["check-three"]
    }
  }

  rollback {
    exec {
      service = service.web
      command = ["undo-three"]
    }
  }
}

step "four" {
  exec {
    service = service.web
    command = ["four"]
  }
}
