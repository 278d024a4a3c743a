environment "t" {
  title = "test"
}
service "web" {
  image = "busybox"
  port {
    container = 53
    protocol  = "sctp"
  }
}
