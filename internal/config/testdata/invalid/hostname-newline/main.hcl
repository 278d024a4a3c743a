environment "t" {}
service "web" {
  image    = "proeftuin/busybox:1"
  hostname = "web\nevil"
}
