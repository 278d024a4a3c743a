environment "t" {
  title = "test"
}
service "web" {
  image = "busybox"
  env = {
    X = file("../../../../etc/passwd")
  }
}
