environment "t" {
  title = "test"
}
service "web" {
  image = "busybox"
}
step "s" {
  copy {
    service = service.web
    source  = "../secret.txt"
    target  = "/tmp/x"
  }
}
