environment "t" {
  title = "test"
}
volume "data" {}
service "web" {
  image      = "busybox"
  depends_on = [volume.data]
}
