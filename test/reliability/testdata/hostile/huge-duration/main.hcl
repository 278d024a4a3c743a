environment "t" {}
service "web" {
  image = "proeftuin/busybox:1"
  ready {
    exec { command = ["true"] }
    timeout = "9999999999999999999h"
  }
}
