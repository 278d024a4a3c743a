environment "t" {
  title = "test"
}
service "web" {
  image = "busybox"
  network "lab" {
    port {
      mount {
        file "/x" {}
      }
    }
  }
}
network "lab" {}
