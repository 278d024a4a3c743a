environment "t" {
  title = "test"
}
service "a" {
  image      = "busybox"
  depends_on = [service.a]
}
