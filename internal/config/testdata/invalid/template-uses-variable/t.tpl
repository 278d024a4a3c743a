user ${name} pass ${var.pw}
