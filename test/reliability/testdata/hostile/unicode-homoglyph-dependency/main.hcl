environment "t" {}
service "wеb" {
  image = "proeftuin/busybox:1"
}
service "api" {
  image = "proeftuin/busybox:1"
  depends_on = [service.web]
}
