environment "t" {
  title = "test"
}
variable "port" {
  type    = number
  default = 80
  validation {
    condition     = var.port >= 1024
    error_message = "Use a port of 1024 or higher."
  }
}
