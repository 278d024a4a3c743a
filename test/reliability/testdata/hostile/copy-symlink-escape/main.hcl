environment "t" {}
service "web" {
  image = "proeftuin/busybox:1"
}
plan "p" {}
step "s" {
  copy {
    service = service.web
    source  = "files/passwd"
    target  = "/tmp/passwd"
  }
}
