# Implementation plan: the tree (organisational units), the employees,
# their passwords, the groups, and then the access rules.

plan "invoering" {
  title       = "Invoeringsplan gebruikersbeheer Oosterdal"
  description = "Structuur, medewerkers, wachtwoorden, groepen en toegangsregels."
}

step "structuur" {
  title      = "Maak de organisatie-eenheden medewerkers en groepen"
  implements = [requirement.FR-01, requirement.FR-03]

  copy {
    service = service.ldap
    source  = "files/ldif"
    target  = "/root/ldif"
  }

  exec {
    service = service.ldap
    command = ["sh", "-c", "ldapadd -x -H ldapi:/// -D '${local.admin}' -w \"$PW\" -f /root/ldif/01-structuur.ldif"]
    env     = { PW = var.admin_password }
  }

  check "ou-medewerkers" {
    exec {
      service         = service.ldap
      command         = ["sh", "-c", "ldapsearch -x -LLL -H ldapi:/// -D '${local.admin}' -w \"$PW\" -b '${local.base}' '(objectClass=organizationalUnit)' ou"]
      env             = { PW = var.admin_password }
      stdout_contains = "ou: medewerkers"
    }
  }
}

step "medewerkers" {
  title      = "Voeg de medewerkers toe"
  implements = [requirement.FR-01]

  exec {
    service = service.ldap
    command = ["sh", "-c", "ldapadd -x -H ldapi:/// -D '${local.admin}' -w \"$PW\" -f /root/ldif/02-medewerkers.ldif"]
    env     = { PW = var.admin_password }
  }
}

step "wachtwoorden" {
  title      = "Geef iedere medewerker het startwachtwoord (ldappasswd hasht het)"
  implements = [requirement.FR-02, requirement.SEC-02]

  exec {
    service = service.ldap
    command = ["sh", "-c", "for dn in $(ldapsearch -x -LLL -H ldapi:/// -D '${local.admin}' -w \"$PW\" -b 'ou=medewerkers,${local.base}' '(objectClass=inetOrgPerson)' dn | sed -n 's/^dn: //p'); do ldappasswd -x -H ldapi:/// -D '${local.admin}' -w \"$PW\" -s \"$START\" \"$dn\" || exit 1; done"]
    env = {
      PW    = var.admin_password
      START = var.start_password
    }
  }

  check "jan-bind" {
    exec {
      service = service.ldap
      command = ["ldapwhoami", "-x", "-H", "ldapi:///", "-D", local.jan, "-w", var.start_password]
    }
  }
}

step "groepen" {
  title      = "Maak de afdelingsgroepen met hun leden"
  implements = [requirement.FR-03]

  exec {
    service = service.ldap
    command = ["sh", "-c", "ldapadd -x -H ldapi:/// -D '${local.admin}' -w \"$PW\" -f /root/ldif/03-groepen.ldif"]
    env     = { PW = var.admin_password }
  }
}

step "toegang" {
  title      = "Sluit de directory af voor anonieme gebruikers"
  implements = [requirement.SEC-01]

  # cn=config is changed as root over the local socket (SASL EXTERNAL).
  exec {
    service = service.ldap
    command = ["ldapmodify", "-Q", "-Y", "EXTERNAL", "-H", "ldapi:///", "-f", "/root/ldif/04-toegang.ldif"]
  }

  check "regels" {
    exec {
      service         = service.ldap
      command         = ["ldapsearch", "-Q", "-LLL", "-Y", "EXTERNAL", "-H", "ldapi:///", "-b", "olcDatabase={1}mdb,cn=config", "olcAccess"]
      stdout_contains = "{2}to * by users read by * none"
    }
  }
}
