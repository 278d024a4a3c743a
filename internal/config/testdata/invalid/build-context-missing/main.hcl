environment "t" {
  title = "test"
}
service "web" {
  build {
    context = "images/nope"
  }
}
