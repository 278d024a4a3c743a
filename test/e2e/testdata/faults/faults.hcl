fault "httpd-down" {
  title    = "httpd killed"
  ticket   = { nl = "De website reageert niet meer.", en = "The website no longer responds." }
  priority = "high"
  category = "service"
  hints    = ["Welke processen draaien er in web?", "Start de webserver opnieuw."]
  inject {
    kill {
      service = service.web
      process = "httpd"
      signal  = "KILL"
    }
  }
  recovered {
    checks = [check.web-answers]
    check "httpd-runs" {
      timeout = "3s"
      process {
        service = service.web
        name    = "httpd"
      }
    }
  }
  solution {
    exec {
      service = service.web
      command = ["httpd", "-p", "80", "-h", "/www"]
    }
  }
}

fault "page-locked" {
  title    = "index.html not readable"
  ticket   = "De startpagina geeft een foutmelding."
  priority = "medium"
  category = "security"
  inject {
    chmod {
      service = service.web
      path    = "/www/index.html"
      mode    = "0000"
    }
    chown {
      service = service.web
      path    = "/www/index.html"
      owner   = "1234:1234"
    }
  }
  recovered {
    check "page-mode" {
      timeout = "3s"
      file {
        service = service.web
        path    = "/www/index.html"
        mode    = "0644"
      }
    }
    check "page-owner" {
      timeout = "3s"
      exec {
        service         = service.web
        command         = ["stat", "-c", "%u", "/www/index.html"]
        stdout_matches  = "^0\\s*$"
      }
    }
  }
  solution {
    exec {
      service = service.web
      command = ["sh", "-c", "chmod 644 /www/index.html && chown 0:0 /www/index.html"]
    }
  }
}

fault "disk-full" {
  ticket   = "Er worden geen logboeken meer geschreven."
  category = "storage"
  inject {
    fill {
      service = service.web
      path    = "/tmp/big"
      size    = "1m"
    }
  }
  recovered {
    check "no-big-file" {
      timeout = "3s"
      file {
        service = service.web
        path    = "/tmp/big"
        exists  = false
      }
    }
  }
  solution {
    exec {
      service = service.web
      command = ["rm", "-f", "/tmp/big"]
    }
  }
}

fault "web-cut-off" {
  ticket   = "Niemand kan de website bereiken."
  category = "network"
  inject {
    disconnect {
      service = service.web
      network = network.lan
    }
  }
  recovered {
    checks = [check.web-answers]
  }
  solution {
    connect {
      service = service.web
      network = network.lan
    }
  }
}

# Breaks nothing on purpose: lab verify must say so.
fault "harmless" {
  ticket = "Alles lijkt in orde."
  inject {
    exec {
      service = service.web
      command = ["true"]
    }
  }
  recovered {
    checks = [check.web-answers]
  }
}

fault "web-lossy" {
  ticket   = "De website is onbereikbaar traag."
  category = "performance"
  inject {
    netem {
      service = service.web
      delay   = "100ms"
      loss    = 100
    }
  }
  recovered {
    checks = [check.web-answers]
  }
  solution {
    restart {
      service = service.web
    }
  }
}

fault "port-blocked" {
  ticket   = "De website geeft geen antwoord meer."
  category = "network"
  inject {
    block {
      service = service.web
      port    = 80
    }
  }
  recovered {
    checks = [check.web-answers]
  }
  solution {
    restart {
      service = service.web
    }
  }
}
