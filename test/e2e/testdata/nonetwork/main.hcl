# Two services that declare no network: they join the instance's own
# default network, never the engine's shared bridge.
environment "nonetwork" {}

requirement "FR-01" {
  title    = "Lab-mates find each other by name"
  priority = "must"
}

variable "image" {
  type    = string
  default = "proeftuin/busybox:1"
}

service "web" {
  image   = var.image
  pull    = "never"
  command = ["httpd", "-f", "-p", "80", "-h", "/www"]
  file "/www/index.html" {
    content = "hello\n"
  }
  ready {
    port {
      port = 80
    }
    timeout = "30s"
  }
}

service "client" {
  image      = var.image
  pull       = "never"
  command    = ["sleep", "3600"]
  depends_on = [service.web]
}

# Run from inside client: its lab-mate is found by name.
check "web-by-name" {
  verifies = [requirement.FR-01]
  tcp {
    from    = service.client
    address = "web:80"
  }
}
