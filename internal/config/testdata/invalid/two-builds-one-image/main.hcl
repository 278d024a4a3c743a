environment "t" {
  title = "test"
}
service "web" {
  image = "shop/web:1"
  build {
    context = "img"
  }
}
service "api" {
  image = "shop/web:1"
  build {
    context = "img2"
  }
}
