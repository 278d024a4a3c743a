environment "t" {
  title = "test"
}
requirement "FR-01" {
  title    = "works"
  priority = "should"
}
requirement "FR-01" {
  title    = "works"
  priority = "should"
}
