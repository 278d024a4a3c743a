environment "t" {
  title = "test"
}
network "lab" {
  subnet = "10.0.0.0/33"
}
