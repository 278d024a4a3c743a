environment "t" {
  title = "test"
}
service "web" {
  image = "busybox"
  mount {
    volume = "data"
    target = "/data"
  }
}
