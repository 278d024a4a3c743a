# A lab for the runner's unit tests on the fake engine: the fake scripts
# every command, so the commands are just names.
environment "unit" {
  title   = "Runner unit lab"
  version = "1"
}

variable "secret" {
  type      = string
  default   = "hunter2-geheim"
  sensitive = true
}

requirement "FR-01" {
  title    = "One works"
  priority = "must"
}

requirement "FR-02" {
  title    = "Three works"
  kind     = "security"
  priority = "should"
}

requirement "FR-03" {
  title    = "Nobody checks this"
  priority = "could"
}

service "web" {
  image     = "busybox:test"
  satisfies = [requirement.FR-01, requirement.FR-03]
}
