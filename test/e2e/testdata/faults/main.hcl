# A web server and a client, with one fault per fault action.
environment "faults" {}

requirement "R1" {
  title    = "The web server answers"
  priority = "must"
}

network "lan" {}

service "web" {
  image   = "proeftuin/busybox:1"
  pull    = "never"
  command = ["sh", "-c", "httpd -p 80 -h /www; echo up; exec sleep 3600"]
  network "lan" {}
  file "/www/index.html" {
    content = "hallo\n"
    mode    = "0644"
  }
  ready {
    log {
      pattern = "up"
    }
    timeout = "30s"
  }
}

service "client" {
  image   = "proeftuin/busybox:1"
  pull    = "never"
  command = ["sleep", "3600"]
  network "lan" {}
}

# Stopped by TestFaultResetKeepsStoppedServicesStopped, as a plan may do.
service "spare" {
  image   = "proeftuin/busybox:1"
  pull    = "never"
  command = ["sleep", "3600"]
  network "lan" {}
}

check "web-answers" {
  verifies = [requirement.R1]
  timeout  = "3s"
  tcp {
    from    = service.client
    address = "web:80"
  }
}

requirement "R2" {
  title    = "An about page"
  priority = "should"
}

check "about-page" {
  verifies = [requirement.R2]
  timeout  = "3s"
  file {
    service  = service.web
    path     = "/www/about.html"
    contains = "about"
  }
}

plan "build" {
  title = "Add the about page"
}

step "about" {
  implements = [requirement.R2]
  exec {
    service = service.web
    command = ["sh", "-c", "echo about > /www/about.html"]
  }
}
