environment "t" {
  title = "test"
}
network "link" {
  subnet = "10.5.0.0/31"
}
service "a" {
  image = "busybox"
  network "link" {}
}
