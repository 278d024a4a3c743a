environment "t" {
  title = "test"
}
service "web" {
  image = "busybox"
}
