environment "t" {
  title = "test"
}
network "lab" {}
network "lab" {}
