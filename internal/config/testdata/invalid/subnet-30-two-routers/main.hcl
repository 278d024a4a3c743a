environment "t" {
  title = "test"
}
network "l" {
  subnet = "10.5.0.0/30"
}
service "r1" {
  image = "busybox"
  network "l" {}
}
service "r2" {
  image = "busybox"
  network "l" {}
}
