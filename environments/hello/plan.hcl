plan "first-changes" {
  title       = "Add two pages to the web server"
  description = "Write a page in the container, copy one from the lab folder, and restart the server."
}

step "menu-page" {
  title      = "Write a menu page inside the web container"
  implements = [requirement.FR-03]

  exec {
    service = service.web
    command = ["sh", "-c", "echo '<h1>Menu</h1>' > /www/menu.html"]
  }

  check "menu-served" {
    http {
      url           = "http://127.0.0.1:${var.web_port}/menu.html"
      body_contains = "Menu"
    }
  }
}

step "about-page" {
  title = "Copy the about page from the lab folder"

  copy {
    service = service.web
    source  = "files/about.html"
    target  = "/www/about.html"
    mode    = "0644"
  }

  check "about-on-disk" {
    file {
      service  = service.web
      path     = "/www/about.html"
      contains = "About"
    }
  }

  check "about-from-worker" {
    exec {
      service         = service.worker
      command         = ["sh", "-c", "wget -q -O - \"$${WEB_URL}about.html\""]
      stdout_contains = "About"
    }
  }

  retry {
    attempts = 3
    delay    = "1s"
  }
}

step "restart-web" {
  title      = "Restart the web server and wait until it listens again"
  on_failure = "stop"

  restart {
    service = service.web
  }

  wait {
    service = service.web
    port {
      port = 8080
    }
    timeout = "20s"
  }

  check "pages-survive" {
    http {
      url           = "http://127.0.0.1:${var.web_port}/about.html"
      body_contains = "About"
    }
  }
}
