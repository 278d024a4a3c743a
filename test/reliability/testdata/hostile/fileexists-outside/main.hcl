environment "t" {}
service "web" {
  image = fileexists("/etc/passwd") ? "proeftuin/busybox:1" : "x"
}
