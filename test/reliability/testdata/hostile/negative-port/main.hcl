environment "t" {}
service "web" {
  image = "proeftuin/busybox:1"
  port {
    host      = -80
    container = 80
  }
}
