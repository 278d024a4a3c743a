# Troubleshooting exercises (proeftuin fault): each breaks the finished
# webshop on purpose; the student gets only the ticket.

fault "php-fpm-gestopt" {
  title    = "PHP-FPM is gestopt"
  ticket   = { nl = "De webwinkel geeft sinds vanmorgen een foutmelding (502).", en = "Since this morning the webshop shows an error (502)." }
  priority = "high"
  category = "service"
  hints    = ["Kijk in de logboeken van de webserver.", "Welke processen draaien er in de web-container?"]

  inject {
    kill {
      service = service.web
      process = "php-fpm8.2"
    }
  }

  recovered {
    checks = [check.winkel-https]
    check "php-fpm-draait" {
      process {
        service = service.web
        name    = "php-fpm: pool winkel"
      }
    }
  }

  solution {
    exec {
      service = service.web
      command = ["php-fpm8.2", "--daemonize"]
    }
  }
}

fault "verkeerd-databasewachtwoord" {
  title    = "Verkeerd databasewachtwoord in de PHP-configuratie"
  ticket   = { nl = "De webwinkel toont geen producten meer.", en = "The webshop no longer shows any products." }
  priority = "medium"
  category = "configuration"
  hints    = ["Kan de applicatie de database bereiken?", "Met welke gegevens logt PHP in bij de database?"]

  inject {
    exec {
      service = service.web
      command = ["sh", "-c", "sed -i 's/^env\\[DB_PASSWORD\\].*/env[DB_PASSWORD] = appelmoes/' /etc/php/8.2/fpm/pool.d/www.conf && kill -USR2 $(cat /run/php/php8.2-fpm.pid) && sleep 3"]
    }
  }

  recovered {
    checks = [check.assortiment-op-pagina]
  }

  solution {
    exec {
      service = service.web
      command = ["sh", "-c", "sed -i 's/^env\\[DB_PASSWORD\\].*/env[DB_PASSWORD] = $DB_PASSWORD/' /etc/php/8.2/fpm/pool.d/www.conf && kill -USR2 $(cat /run/php/php8.2-fpm.pid) && sleep 3"]
    }
  }
}
