environment "t" {
  title = "test"
}
volume "data" {}

volume "data" {}
