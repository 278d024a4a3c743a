environment "lab" {
  title = "instance facade test"
}

network "lan" {
  subnet = "auto"
}

service "web" {
  image   = "proeftuin/busybox:1"
  command = ["httpd", "-f"]

  network "lan" {
    ipv4_address = cidrhost(network.lan.subnet, 10)
  }
}

service "db" {
  image   = "proeftuin/busybox:1"
  command = ["sleep", "1000"]

  network "lan" {}
}

plan "p" {
  title = "one step"
}

step "one" {
  title = "touch a file"

  exec {
    service = service.web
    command = ["touch", "/tmp/x"]
  }
}
