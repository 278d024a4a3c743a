environment "t" {
  title = "test"
}
service "web" {
  image = "busybox"
}
service "api" {
  image      = "busybox"
  depends_on = [service.wеb]
}
