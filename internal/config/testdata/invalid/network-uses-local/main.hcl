environment "t" {
  title = "test"
}
locals {
  net = "10.0.0.0/24"
}
network "lab" {
  subnet = local.net
}
