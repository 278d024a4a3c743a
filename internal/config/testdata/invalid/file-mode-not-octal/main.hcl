environment "t" {
  title = "test"
}
service "web" {
  image = "busybox"
  file "/etc/x" {
    content = "x"
    mode    = "0999"
  }
}
