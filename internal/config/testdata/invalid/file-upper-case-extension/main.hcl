environment "t" {
  title = "test"
}
