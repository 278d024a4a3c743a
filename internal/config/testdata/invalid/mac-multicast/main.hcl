environment "t" {
  title = "test"
}
network "lan" {
  subnet = "10.5.0.0/24"
}
service "pc" {
  image = "busybox"
  network "lan" {
    mac_address = "01:00:5e:00:00:01"
  }
}
