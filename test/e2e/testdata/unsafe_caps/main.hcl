environment "unsafe-caps" {}

service "box" {
  image   = "proeftuin/busybox:1"
  pull    = "never"
  command = ["sleep", "3600"]
  cap_add = ["SYS_ADMIN"]
}
