environment "t" {}
service "web" {
  image = "proeftuin/busybox:1"
  labels = {
    "proeftuin.instance" = "someone-else"
  }
}
