# A service whose readiness never comes, to interrupt `up` while it waits.
environment "slow" {}

variable "image" {
  type    = string
  default = "proeftuin/busybox:1"
}

network "net" {}

volume "scratch" {}

service "first" {
  image   = var.image
  pull    = "never"
  command = ["sleep", "3600"]
  network "net" {}
}

service "never" {
  image      = var.image
  pull       = "never"
  command    = ["sleep", "3600"]
  depends_on = [service.first]
  network "net" {}
  mount {
    volume = volume.scratch
    target = "/scratch"
  }
  ready {
    exec {
      command = ["false"]
    }
    timeout = "10m"
  }
}
