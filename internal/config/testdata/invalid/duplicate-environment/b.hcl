environment "u" {}
