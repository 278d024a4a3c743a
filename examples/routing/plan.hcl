# Implementation plan. The design routes by itself (links, interface
# order, routes: FR-01 and FR-02 hold right after up), so the plan puts
# an application on the routed path: a web server on pc3 that pc1 opens
# through r1, r2 and r3 (FR-03).

plan "web-behind-routers" {
  title       = "A web server behind three routers"
  description = "Start busybox httpd on pc3 and open its page from pc1."
}

step "webserver-pc3" {
  title      = "Start a web server on pc3, port 8080"
  implements = [requirement.FR-03]

  exec {
    service = service.pc3
    command = ["sh", "-c", "mkdir -p /www && echo 'pc3 behind three routers' > /www/index.html"]
  }

  # httpd goes to the background; wait until it answers on port 8080.
  exec {
    service = service.pc3
    command = ["sh", "-c", "httpd -p 8080 -h /www </dev/null >/dev/null 2>&1; for i in $(seq 1 50); do ${local.get} 127.0.0.1 8080 | grep -q '200 OK' && exit 0; sleep 0.1; done; echo 'httpd does not answer on port 8080' >&2; exit 1"]
  }

  check "page-served-locally" {
    exec {
      service         = service.pc3
      command         = ["sh", "-c", "${local.get} 127.0.0.1 8080"]
      stdout_contains = "pc3 behind three routers"
    }
  }
}
