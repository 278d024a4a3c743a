environment "t" {
  title = "test"
}
requirement "FR-01" {
  title    = "works"
  priority = "should"
}
check "c" {
  verifies = [requirement.FR-01]
}
