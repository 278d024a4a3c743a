# A lab whose plan passes: every action kind on a real engine.
environment "passing" {
  title = "Alles slaagt"
}

variable "image" {
  type    = string
  default = "proeftuin/busybox:1"
}

variable "web_port" {
  type    = number
  default = 18481
}

requirement "FR-01" {
  title    = "The about page is served"
  priority = "must"
}

service "web" {
  image        = var.image
  command      = ["httpd", "-f", "-p", "8080", "-h", "/www"]
  stop_timeout = "1s"

  port {
    host      = var.web_port
    container = 8080
  }

  file "/www/index.html" {
    content = "<h1>home</h1>\n"
  }

  ready {
    port {
      port = 8080
    }
    timeout = "20s"
  }

  satisfies = [requirement.FR-01]
}

check "home" {
  title    = "The home page answers"
  verifies = [requirement.FR-01]

  http {
    url           = "http://127.0.0.1:${var.web_port}/"
    body_contains = "home"
  }
}
