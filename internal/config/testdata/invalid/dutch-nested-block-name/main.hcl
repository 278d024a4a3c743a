environment "t" {
  title = "test"
}
service "web" {
  image = "busybox"
  poort {
    container = 80
  }
}
