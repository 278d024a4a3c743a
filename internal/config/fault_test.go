package config

import (
	"testing"
	"time"
)

const faultBase = `
requirement "R1" {
  title    = "web answers"
  priority = "must"
}
network "lan" {}
service "web" {
  image = "proeftuin/busybox:1"
  network "lan" {}
}
check "web-up" {
  verifies = [requirement.R1]
  process {
    service = service.web
    name    = "httpd"
  }
}
`

func TestFaultDecodes(t *testing.T) {
	env := loadSource(t, faultBase+`
fault "web-down" {
  title    = "httpd stopped"
  ticket   = { nl = "De website is weg.", en = "The website is gone." }
  priority = "high"
  category = "service"
  hints    = ["Kijk naar de processen."]
  inject {
    kill {
      service = service.web
      process = "httpd"
      signal  = "SIGKILL"
    }
    fill {
      service = service.web
      path    = "/tmp/big"
      size    = "2m"
    }
    netem {
      service = service.web
      delay   = "200ms"
      loss    = 5
    }
    block {
      service = service.web
      port    = 80
    }
    disconnect {
      service = service.web
      network = network.lan
    }
  }
  recovered {
    checks = [check.web-up]
    check "file-gone" {
      file {
        service = service.web
        path    = "/tmp/big"
        exists  = false
      }
    }
  }
  solution {
    exec {
      service = service.web
      command = ["httpd"]
    }
  }
}
`)
	f := env.Fault("web-down")
	if f == nil {
		t.Fatal("fault not decoded")
	}
	if f.Priority != "high" || f.Category != "service" || f.TicketText("en") != "The website is gone." || f.TicketText("de") != "De website is weg." {
		t.Errorf("fault header: %+v", f)
	}
	if len(f.Inject) != 5 || f.Inject[0].Fault.Signal != "KILL" || f.Inject[1].Fault.Size != 2<<20 ||
		f.Inject[2].Fault.Delay != 200*time.Millisecond || f.Inject[2].Fault.Loss != 5 ||
		f.Inject[3].Fault.Port != 80 || f.Inject[3].Fault.Protocol != "tcp" || f.Inject[4].Fault.Network != "lan" {
		t.Errorf("inject: %+v %+v %+v", f.Inject[0].Fault, f.Inject[1].Fault, f.Inject[2].Fault)
	}
	if len(f.RecoveredChecks) != 1 || f.RecoveredChecks[0] != "web-up" || len(f.RecoveredOwn) != 1 {
		t.Errorf("recovered: %v %v", f.RecoveredChecks, f.RecoveredOwn)
	}
	if len(f.Solution) != 1 || f.Solution[0].Exec == nil {
		t.Errorf("solution: %+v", f.Solution)
	}
}

func TestFaultErrors(t *testing.T) {
	_, diags := loadSourceDiags(t, faultBase+`
fault "x" {
  ticket   = "broken"
  priority = "urgent"
  inject {
    kill {
      service = service.wbe
      process = "httpd"
      signal  = "BOOM"
    }
    fill {
      service = service.web
      path    = "tmp/x"
      size    = "lots"
    }
  }
  recovered {
    checks = [check.web-upp]
  }
}
fault "empty" {
  ticket = "nothing"
}
`)
	wantError(t, diags, "Unknown service", `Did you mean "web"?`)
	wantError(t, diags, "Unknown signal", "BOOM")
	wantError(t, diags, "Relative path", "tmp/x")
	wantError(t, diags, "Invalid size", "lots")
	d := wantError(t, diags, "Unknown check", `Did you mean "web-up"?`)
	if d.Subject == nil || d.Subject.Start.Line < 20 {
		t.Errorf("unknown check not pointed at: %v", d.Subject)
	}
	wantError(t, diags, "Fault without inject", `"empty"`)
	wantError(t, diags, "Fault without recovered checks", `"empty"`)
	wantError(t, diags, "Invalid", "urgent")
}
