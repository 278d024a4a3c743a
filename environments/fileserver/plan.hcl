# Implementation plan: groups, users, folders with the right owners and
# permissions, then the Samba configuration.

plan "invoering" {
  title       = "Invoeringsplan fileserver De Boer"
  description = "Groepen, gebruikers, mappen en shares."
}

step "groepen" {
  title      = "Maak de groepen financien en directie"
  implements = [requirement.FR-01, requirement.FR-03]

  exec {
    service = service.fs
    command = ["sh", "-c", "getent group financien || groupadd financien; getent group directie || groupadd directie"]
  }

  check "groepen-bestaan" {
    exec {
      service        = service.fs
      command        = ["getent", "group", "financien", "directie"]
      stdout_matches = "(?s)financien.*directie"
    }
  }
}

step "gebruikers" {
  title      = "Maak de gebruikers aan, in Linux en in Samba"
  implements = [requirement.FR-01, requirement.FR-02, requirement.FR-03]

  copy {
    service = service.fs
    source  = "files/gebruikers.txt"
    target  = "/root/gebruikers.txt"
    mode    = "0600"
  }

  # Each line of gebruikers.txt: user name and group. No login shell and no
  # home folder: they only use the file server.
  exec {
    service = service.fs
    command = ["sh", "-c", "grep -v '^#' /root/gebruikers.txt | while read -r user group; do id \"$user\" >/dev/null 2>&1 || useradd --no-create-home --shell /usr/sbin/nologin --gid \"$group\" \"$user\"; printf '%s\\n%s\\n' \"$PW\" \"$PW\" | smbpasswd -s -a \"$user\"; done"]
    env = {
      PW = var.start_password
    }
  }

  check "samba-gebruikers" {
    exec {
      service         = service.fs
      command         = ["pdbedit", "-L"]
      stdout_contains = "carla"
    }
  }
}

step "mappen" {
  title      = "Maak de mappen met eigenaar en rechten"
  implements = [requirement.SEC-01, requirement.SEC-02]

  # setgid (the 2 in 2770): new files get the folder's group.
  exec {
    service = service.fs
    command = ["sh", "-c", "mkdir -p /srv/samba/financien /srv/samba/algemeen && chown root:financien /srv/samba/financien && chmod 2770 /srv/samba/financien && chown root:directie /srv/samba/algemeen && chmod 2775 /srv/samba/algemeen"]
  }

  check "financien-afgeschermd" {
    file {
      service = service.fs
      path    = "/srv/samba/financien"
      mode    = "2770"
    }
  }
}

step "shares" {
  title      = "Configureer de shares in smb.conf en laad ze"
  implements = [requirement.FR-01, requirement.FR-02, requirement.FR-03, requirement.SEC-01, requirement.SEC-02, requirement.SEC-03]

  copy {
    service = service.fs
    source  = "files/smb.conf"
    target  = "/etc/samba/smb.conf"
  }

  exec {
    service = service.fs
    command = ["testparm", "-s", "/etc/samba/smb.conf"]
  }

  exec {
    service = service.fs
    command = ["smbcontrol", "smbd", "reload-config"]
  }

  check "shares-zichtbaar" {
    exec {
      service         = service.werkplek
      command         = ["sh", "-c", "smbclient -L //fs -U \"anna%$PW\" 2>&1"]
      env             = { PW = var.start_password }
      stdout_contains = "financien"
    }
  }

  retry {
    attempts = 3
    delay    = "2s"
  }
}

step "proef" {
  title      = "Proef: Anna zet de afspraken van financiën in de share"
  implements = [requirement.FR-01]

  copy {
    service = service.werkplek
    source  = "files/afspraken.txt"
    target  = "/tmp/afspraken.txt"
  }

  exec {
    service = service.werkplek
    command = ["sh", "-c", "smbclient //fs/financien -U \"anna%$PW\" -c 'put /tmp/afspraken.txt afspraken.txt'"]
    env = {
      PW = var.start_password
    }
  }

  check "afspraken-op-de-server" {
    file {
      service  = service.fs
      path     = "/srv/samba/financien/afspraken.txt"
      contains = "Afspraken"
    }
  }
}
