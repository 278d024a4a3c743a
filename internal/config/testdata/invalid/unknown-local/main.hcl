environment "t" {
  title = "test"
}
locals {
  image = "busybox"
}
service "web" {
  image = local.imag
}
