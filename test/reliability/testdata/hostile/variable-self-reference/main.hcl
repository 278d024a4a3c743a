environment "t" {}
variable "x" {
  type    = string
  default = var.x
}
service "web" {
  image = var.x
}
