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
    url = "http://127.0.0.1/"
  }
}
check "c" {
  verifies = [requirement.FR-01]
  http {
    url = "http://127.0.0.1/"
  }
}
