environment "t" {}
locals {
  many = range(100000000)
}
service "web" {
  image   = "proeftuin/busybox:1"
  command = [for i in local.many : tostring(i)]
}
