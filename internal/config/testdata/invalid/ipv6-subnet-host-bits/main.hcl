environment "t" {
  title = "test"
}
network "lan" {
  subnet6 = "fd00:5::1/64"
}
