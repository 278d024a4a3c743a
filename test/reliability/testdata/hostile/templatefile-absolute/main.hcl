environment "t" {}
service "web" {
  image = "proeftuin/busybox:1"
  file "/www/index.html" {
    content = templatefile("/etc/passwd", {})
  }
}
