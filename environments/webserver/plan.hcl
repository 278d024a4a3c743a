# Implementation plan (B1-K2-W1/W2): from freshly installed packages to a
# working, secured webshop. Each step says which requirement it realises
# and checks its own result.

plan "invoering" {
  title       = "Invoeringsplan webwinkel De Appelboom"
  description = "Certificaat, database, beveiliging van MariaDB, PHP-FPM en de nginx-site."
}

step "certificaat" {
  title      = "Maak een self-signed TLS-certificaat voor de webserver"
  implements = [requirement.FR-01]

  exec {
    service = service.web
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "365",
      "-subj", "/C=NL/O=De Appelboom/CN=localhost",
    "-keyout", "/etc/ssl/private/winkel.key", "-out", "/etc/ssl/certs/winkel.crt"]
  }

  check "sleutel-afgeschermd" {
    file {
      service = service.web
      path    = "/etc/ssl/private/winkel.key"
      mode    = "0600"
    }
  }
}

step "database" {
  title      = "Maak de database winkel met het assortiment en een leesaccount"
  implements = [requirement.FR-02, requirement.SEC-03]

  copy {
    service = service.db
    source  = "files/winkel.sql"
    target  = "/root/winkel.sql"
    mode    = "0600"
  }

  exec {
    service = service.db
    command = ["sh", "-c", "mariadb < /root/winkel.sql"]
  }

  exec {
    service = service.db
    command = ["sh", "-c", "mariadb -e \"CREATE USER IF NOT EXISTS 'winkel'@'%' IDENTIFIED BY '$APP_PW'; GRANT SELECT ON winkel.* TO 'winkel'@'%';\""]
    env = {
      APP_PW = var.app_password
    }
  }

  check "producten" {
    exec {
      service         = service.db
      command         = ["mariadb", "-N", "-e", "SELECT naam FROM winkel.producten"]
      stdout_contains = "Appeltaart"
    }
  }

  retry {
    attempts = 3
    delay    = "2s"
  }
}

step "root-beveiligen" {
  title      = "Geef root een wachtwoord (beheer via de socket blijft mogelijk)"
  implements = [requirement.SEC-02]

  exec {
    service = service.db
    command = ["sh", "-c", "mariadb -e \"ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('$ROOT_PW'); DELETE FROM mysql.global_priv WHERE User=''; FLUSH PRIVILEGES;\""]
    env = {
      ROOT_PW = var.db_root_password
    }
  }

  check "zonder-wachtwoord-geweigerd" {
    exec {
      service   = service.db
      command   = ["mariadb", "-h", "127.0.0.1", "-u", "root", "--skip-password", "-e", "SELECT 1"]
      exit_code = 1
    }
  }
}

step "php" {
  title      = "Configureer PHP-FPM en zet de applicatie neer"
  implements = [requirement.FR-02]

  copy {
    service = service.web
    source  = "files/php-fpm-winkel.conf"
    target  = "/etc/php/8.2/fpm/pool.d/www.conf"
  }

  copy {
    service = service.web
    source  = "files/index.php"
    target  = "/var/www/winkel/index.php"
  }

  # Test the configuration, then reload: USR2 makes PHP-FPM read it again
  # and start new workers; it logs "ready to handle connections" when done.
  exec {
    service = service.web
    command = ["sh", "-c", "php-fpm8.2 --test || exit 1; log=/var/log/php8.2-fpm.log; n=$(grep -c 'ready to handle' $log); kill -USR2 $(cat /run/php/php8.2-fpm.pid); for i in $(seq 1 40); do [ $(grep -c 'ready to handle' $log) -gt $n ] && exit 0; sleep 0.5; done; echo 'PHP-FPM did not come back after the reload' >&2; exit 1"]
  }

  check "php-fpm-draait" {
    process {
      service = service.web
      name    = "php-fpm: pool winkel"
    }
  }

  retry {
    attempts = 2
    delay    = "2s"
  }
}

step "nginx-site" {
  title      = "Zet de nginx-site aan: HTTPS, en HTTP stuurt door"
  implements = [requirement.FR-01, requirement.SEC-04, requirement.AV-01]

  copy {
    service = service.web
    source  = "files/winkel.nginx.conf"
    target  = "/etc/nginx/sites-available/winkel"
  }

  # The redirect needs the port on this computer, which is a variable.
  exec {
    service = service.web
    command = ["sed", "-i", "s/@HTTPS_PORT@/${var.https_port}/", "/etc/nginx/sites-available/winkel"]
  }

  exec {
    service = service.web
    command = ["sh", "-c", "ln -sf /etc/nginx/sites-available/winkel /etc/nginx/sites-enabled/winkel && rm -f /etc/nginx/sites-enabled/default && nginx -t"]
  }

  exec {
    service = service.web
    command = ["nginx", "-s", "reload"]
  }

  check "https-werkt" {
    http {
      url           = "https://127.0.0.1:${var.https_port}/"
      body_contains = "Appeltaart"
    }
  }
}
