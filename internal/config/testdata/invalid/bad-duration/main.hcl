environment "t" {
  title = "test"
}
service "web" {
  image        = "busybox"
  stop_timeout = "10 seconds"
}
