environment "t" {
  title = "test"
}
network "l" {
  subnet         = "10.16.0.0/30"
  gateway        = "10.16.0.1"
  point_to_point = true
}
service "a" {
  image = "busybox"
  network "l" {}
}
service "b" {
  image = "busybox"
  network "l" {}
}
