environment "t" {
  title = "test"
}
network "lab" {
  subnet = "10.5.0.0/24"
}
service "web" {
  image = "busybox"
  network "lab" {
    ipv4_address = "10.5.0.1"
  }
}
