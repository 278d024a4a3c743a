${templatefile("t.tpl", {})}
