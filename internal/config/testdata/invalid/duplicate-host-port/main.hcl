environment "t" {
  title = "test"
}
service "a" {
  image = "busybox"
  port {
    host      = 8080
    container = 80
  }
}
service "b" {
  image = "busybox"
  port {
    host      = 8080
    container = 81
  }
}
