environment "t" {}
service "we​b" {
  image = "proeftuin/busybox:1"
}
