environment "t" {}
service "web" {
  build {
    context = "ctx"
  }
}
