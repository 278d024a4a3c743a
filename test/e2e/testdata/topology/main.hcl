# A topology of eight services on three networks, used by TestTopology and
# TestIdempotence. The image is a local FROM-scratch busybox.
environment "topology" {
  title = "e2e topology"
}

variable "image" {
  type    = string
  default = "proeftuin/busybox:1"
}

variable "greeting" {
  type    = string
  default = "hello"
}

network "front" {}

network "back" {
  internal = true
}

network "data" {
  subnet = "auto"
}

volume "store" {}

service "web" {
  image   = var.image
  pull    = "never"
  command = ["httpd", "-f", "-p", "80", "-h", "/www"]
  network "front" {}
  network "back" {}
  port {
    container = 80
  }
  file "/www/index.html" {
    content = "hello from web\n"
    mode    = "0644"
  }
  ready {
    http {
      port = 80
      path = "/index.html"
    }
    timeout = "30s"
  }
}

service "api" {
  image   = var.image
  pull    = "never"
  command = ["httpd", "-f", "-p", "8080", "-h", "/srv"]
  network "back" {}
  network "data" {
    ipv4_address = cidrhost(network.data.subnet, 10)
  }
  file "/srv/index.html" {
    content = "api\n"
  }
  ready {
    port {
      port = 8080
    }
    timeout = "30s"
  }
}

service "db" {
  image   = var.image
  pull    = "never"
  command = ["sh", "-c", "cp /etc/db.conf /data/db.conf && echo 'db started' && exec sleep 3600"]
  network "data" {
    ipv4_address = cidrhost(network.data.subnet, 11)
  }
  mount {
    volume = volume.store
    target = "/data"
  }
  file "/etc/db.conf" {
    content = "password=oefenen\n"
    mode    = "0600"
  }
  ready {
    log {
      pattern = "db started"
    }
    timeout = "30s"
  }
}

service "cache" {
  image   = var.image
  pull    = "never"
  command = ["sleep", "3600"]
  env = {
    GREETING = var.greeting
  }
  network "data" {
    ipv4_address = cidrhost(network.data.subnet, 12)
  }
  ready {
    exec {
      command = ["sh", "-c", "test \"$GREETING\" = '${var.greeting}'"]
    }
    timeout = "30s"
  }
}

service "worker" {
  image      = var.image
  pull       = "never"
  command    = ["sleep", "3600"]
  depends_on = [service.api, service.db]
  network "back" {}
  network "data" {}
  file "/usr/local/bin/job.sh" {
    content = "#!/bin/sh\necho job done\n"
    mode    = "0755"
  }
}

service "isolated" {
  image   = var.image
  pull    = "never"
  command = ["sleep", "3600"]
  network "back" {}
}

service "client" {
  image      = var.image
  pull       = "never"
  command    = ["sleep", "3600"]
  depends_on = [service.web, service.cache]
  network "front" {}
  network "back" {}
  network "data" {}
}

service "reporter" {
  image      = var.image
  pull       = "never"
  command    = ["sleep", "3600"]
  depends_on = [service.worker]
  network "data" {}
}
