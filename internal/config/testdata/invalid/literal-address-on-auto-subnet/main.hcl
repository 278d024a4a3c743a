environment "t" {
  title = "test"
}
network "lab" {
  subnet = "auto"
}
service "web" {
  image = "busybox"
  network "lab" {
    ipv4_address = "10.5.0.10"
  }
}
