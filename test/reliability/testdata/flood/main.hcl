# Floods: a service that writes megabytes per second to its log while up
# waits for a log line that never comes, and a plan step whose exec writes
# 64 MB to stdout.
environment "flood" {}

variable "flood_ready" {
  type    = bool
  default = false
}

service "quiet" {
  image        = "proeftuin/busybox:1"
  pull         = "never"
  command      = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
  stop_timeout = "1s"
}

service "flooder" {
  image        = "proeftuin/busybox:1"
  pull         = "never"
  command      = ["sh", "-c", "yes 'flood flood flood flood flood flood flood flood flood flood'"]
  stop_timeout = "1s"
  ready {
    log {
      pattern = var.flood_ready ? "flood" : "never printed"
    }
    timeout = "10s"
  }
}

plan "flood" {}

step "flood-stdout" {
  exec {
    service = service.quiet
    command = ["sh", "-c", "yes 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde | head -c 67108864; echo END-OF-FLOOD"]
  }
}
