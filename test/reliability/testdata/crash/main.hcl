# A service that crashes at once: up fails fast with its last log lines.
environment "crash" {}

service "crasher" {
  image   = "proeftuin/busybox:1"
  pull    = "never"
  command = ["sh", "-c", "echo 'fatal: no config' >&2; exit 3"]
  ready {
    exec { command = ["true"] }
    timeout = "60s"
  }
}
