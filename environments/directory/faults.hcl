# Troubleshooting exercises (proeftuin fault): each breaks the finished
# directory on purpose; the student gets only the ticket.

fault "slapd-gestopt" {
  title    = "slapd is gestopt: de container ldap draait niet meer"
  ticket   = { nl = "Niemand kan meer inloggen op de werkplekken: \"Can't contact LDAP server\".", en = "Nobody can log in at the workstations: \"Can't contact LDAP server\"." }
  priority = "critical"
  category = "service"
  hints    = ["Wat zegt ldapwhoami op de werkplek precies: een fout van de server, of geen verbinding?", "Draait de container ldap nog (proeftuin status)?"]

  inject {
    stop {
      service = service.ldap
    }
  }

  recovered {
    checks = [check.jan-logt-in, check.medewerkers-aanwezig]
  }

  # The checks run once: wait until slapd answers, as up does.
  solution {
    start {
      service = service.ldap
    }
    wait {
      service = service.ldap
      exec {
        command = ["ldapsearch", "-x", "-H", "ldap://127.0.0.1", "-s", "base", "-b", "", "namingContexts"]
      }
      timeout = "30s"
    }
  }
}

fault "acl-buitengesloten" {
  title    = "De toegangsregel voor userPassword mist 'by anonymous auth'"
  ticket   = { nl = "Sinds het onderhoud van gisteravond krijgt iedereen 'Invalid credentials' bij het inloggen, ook met het juiste wachtwoord.", en = "Since last night's maintenance everyone gets 'Invalid credentials' when logging in, even with the right password." }
  priority = "high"
  category = "security"
  hints    = ["Het wachtwoord klopt: wie mag het wachtwoord gebruiken om mee in te loggen?", "Bekijk de olcAccess-regels van olcDatabase={1}mdb,cn=config (ldapsearch -Y EXTERNAL -H ldapi:///)."]

  # The rule on userPassword loses 'by anonymous auth': a bind compares
  # the password as anonymous, so nobody can log in any more.
  inject {
    exec {
      service = service.ldap
      command = ["sh", "-c", "printf 'dn: olcDatabase={1}mdb,cn=config\\nchangetype: modify\\nreplace: olcAccess\\nolcAccess: {0}to attrs=userPassword by self write by * none\\nolcAccess: {1}to attrs=shadowLastChange by self write by users read by * none\\nolcAccess: {2}to * by users read by * none\\n' | ldapmodify -Q -Y EXTERNAL -H ldapi:///"]
    }
  }

  recovered {
    checks = [check.jan-logt-in, check.anoniem-ziet-niets]
  }

  solution {
    exec {
      service = service.ldap
      command = ["ldapmodify", "-Q", "-Y", "EXTERNAL", "-H", "ldapi:///", "-f", "/root/ldif/04-toegang.ldif"]
    }
  }
}
