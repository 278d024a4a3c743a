environment "t" {
  title = "test"
}
service "web" {
  image = "busybox"
}
step "s" {
  on_failure = "retry"
  restart {
    service = service.web
  }
}
