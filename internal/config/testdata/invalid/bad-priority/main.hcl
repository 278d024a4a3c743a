environment "t" {
  title = "test"
}
requirement "FR-01" {
  title    = "works"
  priority = "high"
}
