environment "t" {
  title = "test"
}
service "web" {
  image = foo.bar
}
