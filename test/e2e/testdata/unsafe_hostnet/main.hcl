environment "unsafe-hostnet" {}

service "box" {
  image        = "proeftuin/busybox:1"
  pull         = "never"
  command      = ["sleep", "3600"]
  network_mode = "host"
}
