environment "t" {
  title = "test"
}
service "web" {
  image = "busybox"
  env = {
    HOME = env("HOME")
  }
}
