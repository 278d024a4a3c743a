environment "t" {
  title = "test"
}
network "lab" {
  subnet  = "10.5.0.0/24"
  gateway = "10.5.0.0"
}
