environment "t" {
  title = "test"
}
network "lan" {
  subnet6 = "fd00:5::/64"
}
service "a" {
  image = "busybox"
  network "lan" {
    ipv6_address = "fd00:5::1"
  }
}
