# Implementation plan: the tree (organisational units), the employees,
# their passwords, the groups, and then the access rules.

# ldapadd of an LDIF file that may be run again: the data is kept in the
# volume ldapdata, so when the container is recreated (fault reset, lab
# verify) the entries are already there. It succeeds when every entry was
# added or already exists (-c goes on after an error; 68 is "Already
# exists"), and fails on any other error.
locals {
  ldapadd = "ldapadd -c -x -H ldapi:/// -D '${local.admin}' -w \"$PW\" -f \"$LDIF\" >/tmp/ldapadd.out 2>&1; rc=$?; cat /tmp/ldapadd.out; [ $rc = 0 ] || { [ $rc = 68 ] && [ \"$(grep -c '^ldap_add: ' /tmp/ldapadd.out)\" = \"$(grep -c '^ldap_add: Already exists (68)' /tmp/ldapadd.out)\" ]; }"
}

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
    command = ["sh", "-c", local.ldapadd]
    env = {
      PW   = var.admin_password
      LDIF = "/root/ldif/01-structuur.ldif"
    }
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
    command = ["sh", "-c", local.ldapadd]
    env = {
      PW   = var.admin_password
      LDIF = "/root/ldif/02-medewerkers.ldif"
    }
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
    command = ["sh", "-c", local.ldapadd]
    env = {
      PW   = var.admin_password
      LDIF = "/root/ldif/03-groepen.ldif"
    }
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
