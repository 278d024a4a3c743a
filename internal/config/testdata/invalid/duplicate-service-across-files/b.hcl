
service "web" {
  image = "busybox"
}
