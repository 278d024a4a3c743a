environment "t" {
  title = "test"
}
network "backend" {}
service "web" {
  image = "busybox"
  network "bakend" {}
}
