environment "t" {
  title = "test"
}
variable "pw" {
  default = "x"
}
service "web" {
  image = "busybox"
  file "/etc/x" {
    content = templatefile("t.tpl", { name = "a" })
  }
}
