environment "t" {
  title = "test"
}
requirement "FR-01" {
  title    = "works"
  priority = "should"
}
check "c" {
  verifies = [requirement.FR-01]
  http {
    url = "127.0.0.1:8080/"
  }
}
