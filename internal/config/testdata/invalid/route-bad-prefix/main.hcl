environment "t" {
  title = "test"
}
network "lan" {
  subnet = "10.5.0.0/24"
}
service "pc" {
  image = "busybox"
  network "lan" {}
  route {
    to  = "10.9.0.1/24"
    via = "10.5.0.1"
  }
}
