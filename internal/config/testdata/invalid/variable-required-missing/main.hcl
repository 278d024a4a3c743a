environment "t" {
  title = "test"
}
variable "password" {
  type = string
}
