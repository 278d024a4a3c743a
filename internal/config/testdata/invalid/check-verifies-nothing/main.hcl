environment "t" {
  title = "test"
}
check "c" {
  http {
    url = "http://127.0.0.1/"
  }
}
