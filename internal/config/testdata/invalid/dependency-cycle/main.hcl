environment "t" {
  title = "test"
}
service "a" {
  image      = "busybox"
  depends_on = [service.b]
}
service "b" {
  image      = "busybox"
  depends_on = [service.c]
}
service "c" {
  image      = "busybox"
  depends_on = [service.a]
}
