# A small lab for ten concurrent instances: an auto subnet with a fixed
# address computed from it, and readiness.
environment "pair" {}

network "net" {
  subnet = "auto"
}

service "web" {
  image   = "proeftuin/busybox:1"
  pull    = "never"
  command = ["httpd", "-f", "-p", "80", "-h", "/www"]
  network "net" {
    ipv4_address = cidrhost(network.net.subnet, 10)
  }
  file "/www/index.html" {
    content = "pair\n"
  }
  ready {
    port {
      port = 80
    }
    timeout = "60s"
  }
}

service "client" {
  image        = "proeftuin/busybox:1"
  pull         = "never"
  command      = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
  stop_timeout = "1s"
  depends_on   = [service.web]
  network "net" {}
}
