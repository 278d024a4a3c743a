environment "t" {}
service "web" {
  image = "proeftuin/busybox:1"
  file "/etc/x" {
    content = file("/etc/shadow")
  }
}
