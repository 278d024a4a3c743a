# A service whose readiness never comes: up gives up after the timeout.
environment "hang" {}

service "hanger" {
  image   = "proeftuin/busybox:1"
  pull    = "never"
  command = ["sleep", "3600"]
  ready {
    exec { command = ["false"] }
    timeout = "5s"
  }
}
