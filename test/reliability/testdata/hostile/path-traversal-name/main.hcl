environment "t" {}
network "../../host" {}
service "web" {
  image = "proeftuin/busybox:1"
}
