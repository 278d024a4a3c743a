environment "t" {
  title = "test"
}
requirement "FR-01" {
  title    = "works"
  priority = "should"
}
service "web" {
  image     = "busybox"
  satisfies = ["FR-02"]
}
