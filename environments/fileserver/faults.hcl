# Troubleshooting exercises (proeftuin fault): each breaks the finished
# file server on purpose; the student gets only the ticket.

fault "share-rechten" {
  title    = "De map financien is alleen nog voor root"
  ticket   = { nl = "Anna en Bram van financiën kunnen niet meer bij hun bestanden.", en = "Anna and Bram from finance can no longer get to their files." }
  priority = "high"
  category = "security"
  hints    = ["Lukt het inloggen op de share wel? Wat zegt smbclient precies?", "Bekijk eigenaar en rechten van /srv/samba/financien (ls -ld)."]

  inject {
    chmod {
      service = service.fs
      path    = "/srv/samba/financien"
      mode    = "0700"
    }
  }

  recovered {
    checks = [check.anna-schrijft-financien, check.bram-leest-financien]
  }

  solution {
    chmod {
      service = service.fs
      path    = "/srv/samba/financien"
      mode    = "2770"
    }
  }
}

fault "share-config" {
  title    = "De share financien staat in smb.conf alleen de groep directie toe"
  ticket   = { nl = "Sinds de wijziging van gisteren krijgt financiën 'toegang geweigerd' op de share.", en = "Since yesterday's change, finance gets 'access denied' on the share." }
  priority = "medium"
  category = "configuration"
  hints    = ["Welke gebruikers mogen volgens de configuratie op de share?", "testparm -s laat de geladen configuratie zien."]

  inject {
    exec {
      service = service.fs
      command = ["sh", "-c", "sed -i 's/valid users = @financien/valid users = @directie/' /etc/samba/smb.conf && smbcontrol smbd reload-config"]
    }
  }

  recovered {
    checks = [check.anna-schrijft-financien]
  }

  solution {
    exec {
      service = service.fs
      command = ["sh", "-c", "sed -i 's/valid users = @directie/valid users = @financien/' /etc/samba/smb.conf && smbcontrol smbd reload-config"]
    }
  }
}
