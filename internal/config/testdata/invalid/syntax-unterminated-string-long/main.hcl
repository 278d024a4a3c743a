environment "t" {
  title = "test"
}
service "web" {
  image = "busybox
  command = ["sh", "-c", "echo hi"]
  env = {
    A = "b"
    C = "d"
  }
  port {
    container = 8080
    host      = 8080
  }
}
check "home" {
  title = "home page"
  http {
    url           = "http://127.0.0.1:8080/"
    body_contains = "hello"
    status        = 200
  }
}
