environment "t" {
  title = "test"
}
service "web" {
  image = "busybox"
  labels = {
    "proeftuin.instance" = "other"
  }
}
