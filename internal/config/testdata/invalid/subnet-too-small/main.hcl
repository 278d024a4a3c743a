environment "t" {
  title = "test"
}
network "link" {
  subnet = "10.5.0.0/30"
}
service "a" {
  image = "busybox"
  network "link" {
    ipv4_address = "10.5.0.2"
  }
}
service "b" {
  image = "busybox"
  network "link" {}
}
