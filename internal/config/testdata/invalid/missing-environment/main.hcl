service "web" {
  image = "busybox"
}
