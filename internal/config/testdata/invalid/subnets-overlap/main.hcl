environment "t" {
  title = "test"
}
network "wide" {
  subnet = "10.5.0.0/16"
}
network "narrow" {
  subnet = "10.5.1.0/24"
}
