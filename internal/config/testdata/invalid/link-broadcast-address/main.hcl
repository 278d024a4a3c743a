environment "t" {
  title = "test"
}
network "l" {
  subnet         = "10.16.0.0/30"
  point_to_point = true
}
service "a" {
  image = "busybox"
  network "l" {
    ipv4_address = "10.16.0.3"
  }
}
service "b" {
  image = "busybox"
  network "l" {
    ipv4_address = "10.16.0.2"
  }
}
