environment "t" {
  title = "test"
}
service "a" {
  image = "busybox"
}
service "b" {
  image         = "busybox"
  default_route = false
  network_mode  = "service:a"
}
