environment "t" {
  title = "test"
}
locals {
  a = local.b
  b = local.a
}
