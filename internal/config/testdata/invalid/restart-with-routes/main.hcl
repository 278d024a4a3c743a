environment "t" {
  title = "test"
}
network "lan" {
  subnet = "10.5.0.0/24"
}
service "pc" {
  image         = "busybox"
  restart       = "always"
  default_route = false
  network "lan" {}
}
