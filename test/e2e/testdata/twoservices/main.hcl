# Two small services for side-by-side instances and the lock test.
environment "pair" {}

variable "image" {
  type    = string
  default = "proeftuin/busybox:1"
}

network "net" {}

service "web" {
  image   = var.image
  pull    = "never"
  command = ["httpd", "-f", "-p", "80", "-h", "/www"]
  network "net" {}
  port {
    container = 80
  }
  file "/www/index.html" {
    content = "pair\n"
  }
  ready {
    http {
      port = 80
    }
    timeout = "30s"
  }
}

service "sidecar" {
  image      = var.image
  pull       = "never"
  command    = ["sh", "-c", "sleep 1; echo up; exec sleep 3600"]
  depends_on = [service.web]
  network "net" {}
  ready {
    log {
      pattern = "up"
    }
    timeout = "30s"
  }
}
