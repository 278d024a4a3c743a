environment "t" {
  title = "test"
}
variable "port" {
  type    = number
  default = "eighty"
}
