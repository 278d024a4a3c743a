environment "ipv6" {
  title = "IPv6 on a bridge network"
}

requirement "R1" {
  title    = "a reaches b over IPv6"
  priority = "must"
}

network "lan" {
  subnet  = "auto"
  subnet6 = "fd00:1616:1616::/64"
}

service "a" {
  image   = "proeftuin/busybox:1"
  command = ["sleep", "86400"]
  network "lan" {
    ipv6_address = "fd00:1616:1616::a"
  }
}

service "b" {
  image   = "proeftuin/busybox:1"
  command = ["sleep", "86400"]
  network "lan" {
    ipv6_address = cidrhost(network.lan.subnet6, 11)
  }
}

check "a-reaches-b-over-ipv6" {
  verifies = [requirement.R1]
  exec {
    service = "a"
    command = ["ping", "-6", "-c", "1", "-W", "2", "fd00:1616:1616::b"]
  }
}
