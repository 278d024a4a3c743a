environment "t" {
  title = "test"
}
plan "one" {}
plan "two" {}
