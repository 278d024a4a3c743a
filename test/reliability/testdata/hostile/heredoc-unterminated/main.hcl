environment "t" {}
service "web" {
  image = "proeftuin/busybox:1"
  file "/x" {
    content = <<EOT
never ends
