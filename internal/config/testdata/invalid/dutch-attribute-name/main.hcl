environment "t" {
  titel = "test"
}
