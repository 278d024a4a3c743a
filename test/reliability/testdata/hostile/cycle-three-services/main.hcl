environment "t" {}
service "a" {
  image      = "proeftuin/busybox:1"
  depends_on = [service.c]
}
service "b" {
  image      = "proeftuin/busybox:1"
  depends_on = [service.a]
}
service "c" {
  image      = "proeftuin/busybox:1"
  depends_on = [service.b]
}
