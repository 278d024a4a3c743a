package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// The fault benchmark (issue 15, part G): `fault start` against the time
// of its own inject actions, and `fault check` against the time of its
// checks, on a two-service lab. Each run starts the fault, repairs it with
// `proeftuin exec` and checks it (which resolves the incident).

const faultLab = `environment "benchfault" {}

requirement "R1" {
  title    = "The web server answers"
  priority = "must"
}

network "lan" {}

service "web" {
  image   = "proeftuin/busybox:1"
  pull    = "never"
  command = ["sh", "-c", "httpd -p 80 -h /www; echo up; exec sleep 3600"]
  network "lan" {}
  file "/www/index.html" {
    content = "hallo\n"
  }
  ready {
    log {
      pattern = "up"
    }
  }
}

service "client" {
  image   = "proeftuin/busybox:1"
  pull    = "never"
  command = ["sleep", "3600"]
  network "lan" {}
}

check "web-answers" {
  verifies = [requirement.R1]
  tcp {
    from    = service.client
    address = "web:80"
  }
}

fault "httpd-down" {
  ticket = "De website reageert niet meer."
  inject {
    kill {
      service = service.web
      process = "httpd"
      signal  = "KILL"
    }
  }
  recovered {
    checks = [check.web-answers]
    check "httpd-runs" {
      process {
        service = service.web
        name    = "httpd"
      }
    }
  }
}
`

// FaultResult are the fault benchmark's figures, in milliseconds.
type FaultResult struct {
	Date    string  `json:"date"`
	Runs    int     `json:"runs"`
	Machine Machine `json:"machine"`
	// StartMS is the wall time of `fault start`; InjectMS the inject
	// actions' own time (from the incident); StartOverheadMS the
	// difference, whose target is at most 1000.
	StartMS         Stat `json:"start_ms"`
	InjectMS        Stat `json:"inject_ms"`
	StartOverheadMS Stat `json:"start_overhead_ms"`
	// CheckMS is the wall time of `fault check`; ChecksMS the longest of
	// its checks (they run at once); CheckOverheadMS the difference.
	CheckMS         Stat `json:"check_ms"`
	ChecksMS        Stat `json:"checks_ms"`
	CheckOverheadMS Stat `json:"check_overhead_ms"`
}

// faults runs the fault benchmark c.runs times.
func (c *config) faults(m Machine) (*FaultResult, error) {
	dir := filepath.Join(c.work, "benchfault")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(faultLab), 0o644); err != nil {
		return nil, err
	}
	name := fmt.Sprintf("bench-fault-%d", os.Getpid())
	pt := func(args ...string) (measured, error) {
		return run(nil, c.proeftuin, append([]string{"--dir", dir, "--name", name}, args...)...)
	}
	defer pt("down", "--volumes") //nolint:errcheck // best effort
	if _, err := pt("up"); err != nil {
		return nil, err
	}
	var start, inject, startOver, check, checks, checkOver []float64
	// Run 0 is a warm-up, not counted: a binary built without the
	// embedded probe (go build, not make build) builds it on first use.
	for i := range c.runs + 1 {
		s, err := pt("fault", "start", "httpd-down")
		if err != nil {
			return nil, err
		}
		inc, err := readIncident(dir)
		if err != nil {
			return nil, err
		}
		var inj float64
		for _, a := range inc.Inject {
			inj += float64(a.DurationMS)
		}
		if _, err := pt("exec", "web", "--", "httpd", "-p", "80", "-h", "/www"); err != nil {
			return nil, err
		}
		ch, err := pt("fault", "check")
		if err != nil {
			return nil, err
		}
		if inc, err = readIncident(dir); err != nil {
			return nil, err
		}
		var longest float64
		for _, a := range inc.After {
			longest = max(longest, float64(a.DurationMS))
		}
		time.Sleep(time.Second) // a new ticket number (one per second)
		if i == 0 {
			continue
		}
		start, inject, startOver = append(start, ms(s.Wall)), append(inject, inj), append(startOver, ms(s.Wall)-inj)
		check, checks, checkOver = append(check, ms(ch.Wall)), append(checks, longest), append(checkOver, ms(ch.Wall)-longest)
	}
	return &FaultResult{Date: time.Now().Format("2006-01-02"), Runs: c.runs, Machine: m,
		StartMS: stat(start), InjectMS: stat(inject), StartOverheadMS: stat(startOver),
		CheckMS: stat(check), ChecksMS: stat(checks), CheckOverheadMS: stat(checkOver)}, nil
}

type benchIncident struct {
	Inject []struct {
		DurationMS int64 `json:"duration_ms"`
	} `json:"inject"`
	After []struct {
		DurationMS int64 `json:"duration_ms"`
	} `json:"after"`
}

// readIncident reads the newest incident of the lab folder dir.
func readIncident(dir string) (*benchIncident, error) {
	matches, err := filepath.Glob(filepath.Join(dir, ".proeftuin", "incidents", "INC-*", "incident.json"))
	if err != nil || len(matches) == 0 {
		return nil, fmt.Errorf("no incident in %s (%v)", dir, err)
	}
	data, err := os.ReadFile(matches[len(matches)-1])
	if err != nil {
		return nil, err
	}
	inc := &benchIncident{}
	return inc, json.Unmarshal(data, inc)
}

func (r *FaultResult) save(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	p := filepath.Join(dir, r.Date+"-faults.json")
	fmt.Printf("faults: wrote %s\n", p)
	return os.WriteFile(p, append(b, '\n'), 0o644)
}

func (r *FaultResult) print() {
	fmt.Printf("fault start %s ms: inject %s ms, the rest %s ms (target ≤ 1000)\n", r.StartMS, r.InjectMS, r.StartOverheadMS)
	fmt.Printf("fault check %s ms: checks %s ms, the rest %s ms\n", r.CheckMS, r.ChecksMS, r.CheckOverheadMS)
}
