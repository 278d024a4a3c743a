environment "t" {
  title = "test"
}
service "db" {
  image = "busybox"
}
service "web" {
  image      = "busybox"
  depends_on = [service.dbb]
}
