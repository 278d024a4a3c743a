environment "t" {
  title = "test"
}
requirement "FR-01" {
  title    = "works"
  priority = "should"
}
service "web" {
  image = "busybox"
}
check "c" {
  verifies = [requirement.FR-01]
  exec {
    service        = service.web
    command        = ["true"]
    stdout_matches = "(unclosed"
  }
}
