environment "t" {
  title = "test"
}
network "lan" {
  subnet = "10.5.0.0/24"
}
service "a" {
  image = "busybox"
  network "lan" {
    ipv4_address = "10.5.0.10"
    ipv6_address = "fd00::10"
  }
}
