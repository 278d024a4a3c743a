environment "t" {}
service "web;rm -rf /" {
  image = "proeftuin/busybox:1"
}
