environment "t" {
  title = "test"
}
network "l" {
  subnet = "10.5.0.0/31"
}
