environment "t" {}
service "web" {
  image = "proeftuin/busybox:1"
  port {
    container = 99999999999999999999999999999999
  }
}
