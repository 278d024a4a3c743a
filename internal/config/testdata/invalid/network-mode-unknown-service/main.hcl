environment "t" {
  title = "test"
}
service "web" {
  image        = "busybox"
  network_mode = "service:dbx"
}
