environment "t" {
  title = "test"
}
service "web" {
  image = "busybox"
  ready {
    port {
      port = 80
    }
    http {
      port = 80
    }
  }
}
