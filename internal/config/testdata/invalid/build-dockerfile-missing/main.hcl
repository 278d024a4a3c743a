environment "t" {
  title = "test"
}
service "web" {
  build {
    context    = "img"
    dockerfile = "Containerfile"
  }
}
