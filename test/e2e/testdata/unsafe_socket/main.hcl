environment "unsafe-socket" {}

service "box" {
  image   = "proeftuin/busybox:1"
  pull    = "never"
  command = ["sleep", "3600"]
  mount {
    bind   = "/var/run/docker.sock"
    target = "/var/run/docker.sock"
  }
}
