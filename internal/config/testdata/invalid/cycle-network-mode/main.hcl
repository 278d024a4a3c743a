environment "t" {}
service "a" {
  image        = "proeftuin/busybox:1"
  network_mode = "service:b"
}
service "b" {
  image        = "proeftuin/busybox:1"
  network_mode = "service:a"
}
