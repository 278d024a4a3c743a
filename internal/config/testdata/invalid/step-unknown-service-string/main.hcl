environment "t" {
  title = "test"
}
service "web" {
  image = "busybox"
}
step "s" {
  restart {
    service = "wbe"
  }
}
