environment "t" {
  title = "test"
}
network "a" {
  subnet = "10.5.0.0/24"
}
network "b" {
  subnet = "10.6.0.0/24"
}
service "r" {
  image = "busybox"
  network "a" {}
  network "b" {
    interface = "eth0"
  }
}
