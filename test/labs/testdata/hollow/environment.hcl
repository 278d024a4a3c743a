# A lab whose check "tests nothing": the page it looks for is there before
# the plan runs. lab verify must say so, with the check's file and line.

environment "hollow" {
  title = "Hollow lab"
}

variable "image" {
  type    = string
  default = "proeftuin/busybox:1"
}

requirement "FR-01" {
  title    = "The welcome page says hello"
  priority = "must"
}

requirement "FR-02" {
  title    = "The menu page exists"
  priority = "must"
}

network "lab" {}

service "web" {
  image   = var.image
  command = ["httpd", "-f", "-p", "8080", "-h", "/www"]
  network "lab" {}
  file "/www/index.html" {
    content = "<h1>Hello</h1>\n"
  }
  ready {
    port {
      port = 8080
    }
  }
}

check "hello" {
  verifies = [requirement.FR-01]
  http {
    from          = service.web
    url           = "http://127.0.0.1:8080/"
    body_contains = "Hello"
  }
}

check "menu" {
  verifies = [requirement.FR-02]
  http {
    from          = service.web
    url           = "http://127.0.0.1:8080/menu.html"
    body_contains = "Menu"
  }
}

plan "rollout" {}

step "hello" {
  implements = [requirement.FR-01]
  exec {
    service = service.web
    command = ["sh", "-c", "echo '<h1>Hello again</h1>' > /www/index.html"]
  }
}

step "menu" {
  implements = [requirement.FR-02]
  exec {
    service = service.web
    command = ["sh", "-c", "echo '<h1>Menu</h1>' > /www/menu.html"]
  }
}
