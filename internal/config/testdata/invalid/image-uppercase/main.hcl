environment "t" {}
service "web" {
  image = "Proeftuin/BusyBox:1"
}
