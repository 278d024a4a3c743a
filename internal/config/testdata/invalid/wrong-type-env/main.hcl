environment "t" {
  title = "test"
}
service "web" {
  image = "busybox"
  env   = ["A=1"]
}
