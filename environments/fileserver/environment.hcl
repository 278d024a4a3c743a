# Lab "fileserver": the file server of Administratiekantoor De Boer. A
# Samba server with users, groups and shares whose permissions follow the
# organisation, and a workstation with smbclient to test them. This file
# is the functional and technical design with the acceptance checks; the
# implementation plan is in plan.hcl.

environment "fileserver" {
  title       = "Fileserver Administratiekantoor De Boer"
  description = "Samba met gebruikers, groepen en shares met rechten per afdeling"
  version     = "1.0"
}

variable "base_image" {
  type        = string
  default     = "debian:bookworm-slim"
  description = "Debian base image for images/samba/Dockerfile"
}

variable "start_password" {
  type        = string
  default     = "Welkom-DeBoer-2026"
  sensitive   = true
  description = "First password of every employee (they change it at the first login)"
}

# ---------------------------------------------------------------------------
# Functional design (intake with the office manager, 2026-03-02).
# Employees: Anna and Bram (financiën), Carla (directie).

requirement "FR-01" {
  title    = "Medewerkers van financiën lezen en schrijven in de share financien"
  kind     = "functional"
  priority = "must"
  source   = "intake 2026-03-02"
}

requirement "FR-02" {
  title    = "Alle medewerkers lezen de share algemeen"
  kind     = "functional"
  priority = "must"
  source   = "intake 2026-03-02"
}

requirement "FR-03" {
  title    = "De directie zet documenten in de share algemeen"
  kind     = "functional"
  priority = "must"
  source   = "intake 2026-03-02"
}

requirement "SEC-01" {
  title    = "Wie niet bij financiën werkt, opent de share financien niet"
  kind     = "security"
  priority = "must"
  source   = "privacy policy"
}

requirement "SEC-02" {
  title    = "Alleen de directie schrijft in de share algemeen"
  kind     = "security"
  priority = "must"
  source   = "intake 2026-03-02"
}

requirement "SEC-03" {
  title    = "Anoniem (zonder account) is niets op de fileserver te zien"
  kind     = "security"
  priority = "must"
  source   = "privacy policy"
}

# ---------------------------------------------------------------------------
# Technical design.

network "lan" {}

volume "shares" {}

service "fs" {
  build {
    context = "images/samba"
    args = {
      BASE_IMAGE = var.base_image
    }
  }

  hostname = "fs"
  network "lan" {
    aliases = ["fileserver"]
  }

  mount {
    volume = volume.shares
    target = "/srv/samba"
  }

  ready {
    port {
      port = 445
    }
  }

  satisfies = [requirement.FR-01, requirement.FR-02, requirement.FR-03, requirement.SEC-01, requirement.SEC-02, requirement.SEC-03]
}

# A workstation with the Samba client.
service "werkplek" {
  build {
    context = "images/samba"
    args = {
      BASE_IMAGE = var.base_image
    }
  }
  command = ["sh", "-c", "trap 'exit 0' TERM INT; sleep infinity & wait"]

  network "lan" {}
}

# ---------------------------------------------------------------------------
# Acceptance checks, from the workstation. smbclient prints errors such as
# NT_STATUS_ACCESS_DENIED; a check that expects a refusal looks for that
# exact refusal, so a user who cannot log in at all does not count.

check "anna-schrijft-financien" {
  title    = "Anna (financiën) schrijft in financien"
  verifies = [requirement.FR-01]

  timeout = "60s"

  exec {
    service        = service.werkplek
    command        = ["sh", "-c", "smbclient //fs/financien -U \"anna%$PW\" -c 'put /etc/hostname anna.txt; ls anna.txt' 2>&1"]
    env            = { PW = var.start_password }
    stdout_matches = "anna\\.txt\\s+A"
  }
}

check "bram-leest-financien" {
  title    = "Bram (financiën) leest de afspraken die Anna neerzette"
  verifies = [requirement.FR-01]
  timeout  = "60s"

  exec {
    service         = service.werkplek
    command         = ["sh", "-c", "smbclient //fs/financien -U \"bram%$PW\" -c 'get afspraken.txt /tmp/afspraken.txt' 2>&1 && cat /tmp/afspraken.txt"]
    env             = { PW = var.start_password }
    stdout_contains = "Afspraken financi"
  }
}

check "carla-niet-in-financien" {
  title    = "Carla (directie) wordt geweigerd op financien"
  verifies = [requirement.SEC-01]

  timeout = "60s"

  exec {
    service         = service.werkplek
    command         = ["sh", "-c", "smbclient //fs/financien -U \"carla%$PW\" -c 'ls' 2>&1; true"]
    env             = { PW = var.start_password }
    stdout_contains = "NT_STATUS_ACCESS_DENIED"
  }
}

check "carla-schrijft-algemeen" {
  title    = "Carla (directie) zet een document in algemeen"
  verifies = [requirement.FR-03]

  timeout = "60s"

  exec {
    service        = service.werkplek
    command        = ["sh", "-c", "smbclient //fs/algemeen -U \"carla%$PW\" -c 'put /etc/hostname mededeling.txt; ls mededeling.txt' 2>&1"]
    env            = { PW = var.start_password }
    stdout_matches = "mededeling\\.txt\\s+A"
  }
}

check "bram-leest-algemeen" {
  title    = "Bram leest algemeen"
  verifies = [requirement.FR-02]

  timeout = "60s"

  exec {
    service         = service.werkplek
    command         = ["sh", "-c", "smbclient //fs/algemeen -U \"bram%$PW\" -c 'ls' 2>&1"]
    env             = { PW = var.start_password }
    stdout_contains = "blocks available"
  }
}

check "bram-schrijft-niet-in-algemeen" {
  title    = "Bram mag niet schrijven in algemeen"
  verifies = [requirement.SEC-02]

  timeout = "60s"

  exec {
    service         = service.werkplek
    command         = ["sh", "-c", "smbclient //fs/algemeen -U \"bram%$PW\" -c 'put /etc/hostname bram.txt' 2>&1; true"]
    env             = { PW = var.start_password }
    stdout_contains = "NT_STATUS_ACCESS_DENIED"
  }
}

check "anoniem-geweigerd" {
  title    = "Anoniem de shares opvragen wordt geweigerd"
  verifies = [requirement.SEC-03]

  timeout = "60s"

  exec {
    service         = service.werkplek
    command         = ["sh", "-c", "smbclient -N -L //fs 2>&1; true"]
    stdout_contains = "NT_STATUS_ACCESS_DENIED"
  }
}
