environment "t" {
  title = "test"
}
network "lab" {
  subnet  = "10.5.0.0/30"
  gateway = "10.5.0.3"
}
