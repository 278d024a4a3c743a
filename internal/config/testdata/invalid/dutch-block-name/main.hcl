environment "t" {
  title = "test"
}
dienst "web" {
  image = "busybox"
}
