environment "t" {
  title = "test"
}
variable "port" {
  type    = integer
  default = 1
}
