# The implementation plan: the steps that turn the empty web server into
# what the client asked for. `proeftuin run` carries them out in order.

plan "invoering" {
  title = "Implementation plan"
}

step "welcome-page" {
  title      = "Publish the welcome page"
  implements = [requirement.FR-01]

  copy {
    service = service.web
    source  = "files/index.html"
    target  = "/var/www/html/index.html"
    mode    = "0644"
  }

  check "page-served" {
    http {
      url           = "http://127.0.0.1:${var.web_port}/"
      body_contains = "Welkom"
    }
  }
}
