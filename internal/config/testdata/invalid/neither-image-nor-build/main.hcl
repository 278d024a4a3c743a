environment "t" {
  title = "test"
}
service "web" {
  command = ["true"]
}
