environment "t" {}
service "web" {
  image = "proeftuin/busybox:1"
  env = {
    "" = "x"
  }
}
