environment "unsafe-devices" {}

service "box" {
  image   = "proeftuin/busybox:1"
  pull    = "never"
  command = ["sleep", "3600"]
  devices = ["/dev/null:/dev/hostnull"]
}
