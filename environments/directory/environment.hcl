# Lab "directory": the central user administration of Gemeente Oosterdal
# in OpenLDAP. slapd is installed and preseeded with the organisation's
# domain; the plan loads the structure, the employees and the groups, and
# closes the directory to anonymous users. This file is the functional and
# technical design with the acceptance checks; the plan is in plan.hcl.

environment "directory" {
  title       = "Gebruikersbeheer Gemeente Oosterdal"
  description = "OpenLDAP (slapd) met afdelingen, medewerkers en groepen"
  version     = "1.0"
}

variable "base_image" {
  type        = string
  default     = "debian:bookworm-slim"
  description = "Debian base image for images/ldap/Dockerfile"
}

variable "admin_password" {
  type        = string
  default     = "oefenen"
  sensitive   = true
  description = "Password of the directory's administrator (cn=admin,dc=oosterdal,dc=lan)"
}

variable "start_password" {
  type        = string
  default     = "Oosterdal-Start-2026"
  sensitive   = true
  description = "First password the plan gives every employee"
}

locals {
  base  = "dc=oosterdal,dc=lan"
  admin = "cn=admin,dc=oosterdal,dc=lan"
  jan   = "uid=jan.devries,ou=medewerkers,dc=oosterdal,dc=lan"
}

# ---------------------------------------------------------------------------
# Functional design (intake with the ICT coordinator, 2026-02-16).

requirement "FR-01" {
  title    = "Alle medewerkers staan in de directory onder ou=medewerkers"
  kind     = "functional"
  priority = "must"
  source   = "intake 2026-02-16"
}

requirement "FR-02" {
  title    = "Een medewerker logt in (bind) met de eigen gebruikersnaam en het eigen wachtwoord"
  kind     = "functional"
  priority = "must"
  source   = "intake 2026-02-16"
}

requirement "FR-03" {
  title    = "Medewerkers zitten in de groep van hun afdeling (ou=groepen)"
  kind     = "functional"
  priority = "must"
  source   = "intake 2026-02-16"
}

requirement "SEC-01" {
  title    = "Zonder in te loggen is niets uit de directory te lezen"
  kind     = "security"
  priority = "must"
  source   = "privacy policy (AVG)"
}

requirement "SEC-02" {
  title    = "Wachtwoorden staan alleen gehasht (SSHA) in de directory"
  kind     = "security"
  priority = "should"
  source   = "security policy"
}

# ---------------------------------------------------------------------------
# Technical design.

network "lan" {}

volume "ldapdata" {}

service "ldap" {
  build {
    context = "images/ldap"
    args = {
      BASE_IMAGE          = var.base_image
      LDAP_DOMAIN         = "oosterdal.lan"
      LDAP_ORGANISATION   = "Gemeente Oosterdal"
      LDAP_ADMIN_PASSWORD = var.admin_password
    }
  }

  network "lan" {
    aliases = ["ldap.oosterdal.lan"]
  }

  mount {
    volume = volume.ldapdata
    target = "/var/lib/ldap"
  }

  ready {
    exec {
      command = ["ldapsearch", "-x", "-H", "ldap://127.0.0.1", "-s", "base", "-b", "", "namingContexts"]
    }
    timeout = "30s"
  }

  satisfies = [requirement.FR-01, requirement.FR-02, requirement.FR-03, requirement.SEC-01, requirement.SEC-02]
}

# A workstation with the LDAP client tools (ldapsearch, ldapwhoami).
service "werkplek" {
  build {
    context = "images/ldap"
    args = {
      BASE_IMAGE          = var.base_image
      LDAP_DOMAIN         = "oosterdal.lan"
      LDAP_ORGANISATION   = "Gemeente Oosterdal"
      LDAP_ADMIN_PASSWORD = var.admin_password
    }
  }
  command = ["sh", "-c", "trap 'exit 0' TERM INT; sleep infinity & wait"]

  network "lan" {}
}

# ---------------------------------------------------------------------------
# Acceptance checks, from the workstation over the network.

check "medewerkers-aanwezig" {
  title    = "De medewerkers staan onder ou=medewerkers"
  verifies = [requirement.FR-01]

  exec {
    service        = service.werkplek
    command        = ["sh", "-c", "ldapsearch -x -LLL -H ldap://ldap -D '${local.admin}' -w \"$PW\" -b 'ou=medewerkers,${local.base}' '(objectClass=inetOrgPerson)' uid | grep -c '^uid:'"]
    env            = { PW = var.admin_password }
    stdout_matches = "^[4-9]"
  }
}

check "jan-logt-in" {
  title    = "Jan de Vries logt in met zijn eigen wachtwoord"
  verifies = [requirement.FR-02]

  exec {
    service         = service.werkplek
    command         = ["ldapwhoami", "-x", "-H", "ldap://ldap", "-D", local.jan, "-w", var.start_password]
    stdout_contains = "dn:${local.jan}"
  }
}

check "jan-in-groep-ict" {
  title    = "Jan de Vries zit in de groep ict"
  verifies = [requirement.FR-03]

  exec {
    service         = service.werkplek
    command         = ["sh", "-c", "ldapsearch -x -LLL -H ldap://ldap -D '${local.admin}' -w \"$PW\" -b 'ou=groepen,${local.base}' '(&(cn=ict)(member=${local.jan}))' cn"]
    env             = { PW = var.admin_password }
    stdout_contains = "cn: ict"
  }
}

# Both halves: anonymous sees nothing, and a logged-in employee does see
# the directory (so "nothing" is not just an empty or broken server).
check "anoniem-ziet-niets" {
  title    = "Anoniem ziet niets, een ingelogde medewerker wel"
  verifies = [requirement.SEC-01]

  exec {
    service         = service.werkplek
    command         = ["sh", "-c", "n=$(ldapsearch -x -LLL -H ldap://ldap -b '${local.base}' '(objectClass=*)' dn 2>/dev/null | grep -c '^dn:'); echo \"anoniem: $n\"; [ \"$n\" = 0 ] && ldapsearch -x -LLL -H ldap://ldap -D '${local.jan}' -w \"$PW\" -b '${local.base}' '(uid=jan.devries)' dn"]
    env             = { PW = var.start_password }
    stdout_contains = "dn: ${local.jan}"
  }
}

check "wachtwoord-gehasht" {
  title    = "Het wachtwoord van Jan staat gehasht (SSHA) opgeslagen"
  verifies = [requirement.SEC-02]

  exec {
    service         = service.werkplek
    command         = ["sh", "-c", "ldapsearch -x -LLL -H ldap://ldap -D '${local.admin}' -w \"$PW\" -b '${local.jan}' -s base userPassword | tr -d '\\n '"]
    env             = { PW = var.admin_password }
    stdout_contains = "userPassword::e1NTSEF9"
  }
}
