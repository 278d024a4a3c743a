# A lab whose plan passes, retries, fails and continues, and finally fails
# and rolls back: the runner's main paths on a real engine.
environment "mixed" {
  title = "Gemengde uitkomsten"
}

variable "image" {
  type    = string
  default = "proeftuin/busybox:1"
}

variable "web_port" {
  type    = number
  default = 18480
}

requirement "FR-01" {
  title    = "The page is served"
  priority = "must"
}

requirement "FR-02" {
  title    = "The optional tool is installed"
  priority = "could"
}

requirement "FR-03" {
  title    = "The guarded change holds"
  kind     = "security"
  priority = "should"
}

requirement "FR-04" {
  title    = "Nobody verifies this"
  priority = "wont"
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
    content = "<h1>start</h1>\n"
  }

  ready {
    port {
      port = 8080
    }
    timeout = "20s"
  }

  satisfies = [requirement.FR-01, requirement.FR-04]
}
