environment "t" {
  title = "test"
}
network "l" {
  subnet         = "auto"
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
