environment "t" {
  title = "test"
}
service "wеb" {
  image = "busybox"
}
