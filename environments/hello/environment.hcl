# hello: the smallest useful lab, and the first one: it needs only the
# proeftuin binary and Docker. `up` pulls the small public busybox image
# (pinned tag) once. Offline, give a local image through the variable:
#   proeftuin up --var image=proeftuin/busybox:1

environment "hello" {
  title       = "Hello, proeftuin"
  description = "A web server and a worker on one network: the first lab of the course."
  version     = "1.0"
}

variable "image" {
  type        = string
  default     = "busybox:1.36.1"
  description = "Image for both services: busybox with sh, httpd, nc and wget."
}

variable "web_port" {
  type        = number
  default     = 8080
  description = "Port on 127.0.0.1 where the web page is published."

  validation {
    condition     = var.web_port >= 1024 && var.web_port <= 65535
    error_message = "Choose a port from 1024 to 65535; lower ports need root on the host."
  }
}

requirement "FR-01" {
  title    = "The welcome page opens on http://127.0.0.1:8080/"
  priority = "must"
  source   = "lesson 1"
}

requirement "FR-03" {
  title    = "The menu page opens on http://127.0.0.1:8080/menu.html"
  priority = "must"
  source   = "lesson 1"
}

requirement "FR-02" {
  title    = "The worker reaches the web server by its name on the lab network"
  priority = "should"
}

# One network. Its subnet is chosen per instance ("auto"), so two students
# can run this lab side by side; the web server gets host number 10 in it.
network "lab" {
  subnet = "auto"
}

locals {
  web_address = cidrhost(network.lab.subnet, 10)
}

service "web" {
  image   = var.image
  command = ["httpd", "-f", "-p", "8080", "-h", "/www"]

  network "lab" {
    ipv4_address = local.web_address
  }

  port {
    host      = var.web_port
    container = 8080
  }

  file "/www/index.html" {
    content = "<h1>Hello from proeftuin</h1>\n"
  }

  ready {
    port {
      port = 8080
    }
    timeout = "20s"
  }

  satisfies = [requirement.FR-01]
}

# busybox-static cannot resolve host names, so the worker reaches the web
# server by its address, handed to it in WEB_URL.
service "worker" {
  image        = var.image
  command      = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
  depends_on   = [service.web]
  stop_timeout = "2s"

  env = {
    WEB_URL = "http://${local.web_address}:8080/"
  }

  network "lab" {}

  satisfies = [requirement.FR-02]
}

check "page-answers" {
  title    = "The welcome page answers from the host"
  verifies = [requirement.FR-01]

  http {
    url           = "http://127.0.0.1:${var.web_port}/"
    status        = 200
    body_contains = "Hello from proeftuin"
  }
}

check "worker-reaches-web" {
  title    = "The worker fetches the page over the lab network"
  verifies = [requirement.FR-02]

  exec {
    service         = service.worker
    command         = ["sh", "-c", "wget -q -O - \"$WEB_URL\""]
    stdout_contains = "Hello from proeftuin"
  }
}

# Fails before the plan and passes after it: the plan writes the menu page.
check "menu-page" {
  title    = "The menu page answers from the host"
  verifies = [requirement.FR-03]

  http {
    url           = "http://127.0.0.1:${var.web_port}/menu.html"
    status        = 200
    body_contains = "Menu"
  }
}
