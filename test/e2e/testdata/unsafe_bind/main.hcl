environment "unsafe-bind" {}

service "box" {
  image   = "proeftuin/busybox:1"
  pull    = "never"
  command = ["sleep", "3600"]
  mount {
    bind      = "/etc"
    target    = "/host-etc"
    read_only = true
  }
}
