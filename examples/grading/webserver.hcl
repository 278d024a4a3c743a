# Rubric for the webserver lab (environments/webserver), for
# `proeftuin grade --rubric examples/grading/webserver.hcl SUBMISSIONS`.
# Keep it away from what students get: its checks are hidden.

rubric "webserver" {
  title = "Webwinkel De Appelboom (B1-K2-W1/W2)"
  due   = "2026-12-20T17:00:00+01:00"
}

# The names the assignment fixed. A submission without one of them gets no
# points for what depends on it, and its feedback says which is missing.
requires {
  services     = ["web", "db"]
  requirements = ["FR-01", "FR-02", "SEC-01", "SEC-02"]
}

# Points for each requirement the student's own plan and checks verify.
points {
  FR-01  = 2
  FR-02  = 2
  SEC-01 = 2
  SEC-02 = 2
}

# Per container, on top of the student's own settings (the smaller wins).
limits {
  memory = "512m"
  cpus   = 1
  pids   = 256
}

# Hidden checks, run against each student's running instance.
check "https-redirect" {
  title      = "http:// sends the customer on to https://"
  points     = 2
  visibility = "name"
  http {
    url    = "http://127.0.0.1:8080/"
    status = 301
  }
}

check "no-default-page" {
  title      = "The nginx welcome page is gone"
  points     = 1
  visibility = "after_due"
  exec {
    service         = service.web
    command         = ["sh", "-c", "test ! -e /var/www/html/index.nginx-debian.html && echo gone"]
    stdout_contains = "gone"
  }
}

check "key-private" {
  points     = 1
  visibility = "hidden"
  file {
    service = service.web
    path    = "/etc/ssl/private/winkel.key"
    mode    = "0600"
  }
}
