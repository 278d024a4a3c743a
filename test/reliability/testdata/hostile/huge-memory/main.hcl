environment "t" {}
service "web" {
  image  = "proeftuin/busybox:1"
  memory = "99999999999999999999999999g"
}
