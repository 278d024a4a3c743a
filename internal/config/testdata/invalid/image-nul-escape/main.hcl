environment "t" {}
service "web" {
  image = "proeftuin/busybox:1\u0000"
}
