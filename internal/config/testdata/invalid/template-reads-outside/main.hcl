environment "t" {
  title = "test"
}
service "web" {
  image = "busybox"
  file "/etc/x" {
    content = templatefile("t.tpl", {})
  }
}
