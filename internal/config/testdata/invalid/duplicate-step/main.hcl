environment "t" {
  title = "test"
}
service "web" {
  image = "busybox"
}
step "s1" {
  restart {
    service = service.web
  }
}
step "s1" {
  restart {
    service = service.web
  }
}
