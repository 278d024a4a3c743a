environment "t" {
  title = "test"
}
service "web" {
  image = "busybox"
  port {
    host      = 70000
    container = 80
  }
}
