environment "t" {
  title = "test"
}
service "web" {
  imag = "busybox"
}
