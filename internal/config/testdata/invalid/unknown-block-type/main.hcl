environment "t" {
  title = "test"
}
servce "web" {
  image = "busybox"
}
