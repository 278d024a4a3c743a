environment "t" {
  title = "test"
}
step "s" {
  title = "nothing"
}
