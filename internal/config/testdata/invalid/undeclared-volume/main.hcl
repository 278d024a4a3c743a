environment "t" {
  title = "test"
}
volume "data" {}
service "web" {
  image = "busybox"
  mount {
    volume = volume.date
    target = "/data"
  }
}
