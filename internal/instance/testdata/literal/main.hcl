environment "literal" {
  title = "a lab with a literal subnet and a fixed host port"
}

network "lan" {
  subnet = "10.20.0.0/24"
}

service "web" {
  image   = "proeftuin/busybox:1"
  command = ["httpd", "-f"]

  network "lan" {}

  port {
    host      = 18080
    container = 80
  }
}
