environment "unsafe-privileged" {}

service "box" {
  image      = "proeftuin/busybox:1"
  pull       = "never"
  command    = ["sleep", "3600"]
  privileged = true
}
