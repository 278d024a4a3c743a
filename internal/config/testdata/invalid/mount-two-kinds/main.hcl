environment "t" {
  title = "test"
}
volume "data" {}
service "web" {
  image = "busybox"
  mount {
    volume = volume.data
    tmpfs  = true
    target = "/data"
  }
}
