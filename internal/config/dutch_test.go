package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// languageKeywords collects every block type and attribute name of the
// language's schemas.
func languageKeywords() map[string]bool {
	schemas := []*hcl.BodySchema{rootSchema, environmentSchema, variableSchema, validationSchema,
		requirementSchema, networkSchema, volumeSchema, serviceSchema, buildSchema, serviceNetworkSchema,
		portSchema, mountSchema, fileSchema, readySchema, readyExecSchema, readyHTTPSchema, readyPortSchema,
		readyLogSchema, healthcheckSchema, resourcesSchema, checkSchema, stepCheckSchema, planSchema,
		stepSchema, rollbackSchema, retrySchema, routeSchema, secretSchema, faultSchema}
	for _, s := range probeSchemas {
		schemas = append(schemas, s)
	}
	for _, s := range actionSchemas {
		schemas = append(schemas, s)
	}
	kw := map[string]bool{}
	for _, s := range schemas {
		for _, a := range s.Attributes {
			kw[a.Name] = true
		}
		for _, b := range s.Blocks {
			kw[b.Type] = true
		}
	}
	return kw
}

// Every Dutch word points at a keyword the language has, and is not a
// keyword itself (then it would never reach the hint).
func TestDutchKeywordsNameRealKeywords(t *testing.T) {
	kw := languageKeywords()
	for _, m := range []map[string]string{dutchKeywords, dutchBlocks} {
		for nl, en := range m {
			if !kw[en] {
				t.Errorf("Dutch %q points at %q, which is no keyword of the language", nl, en)
			}
			if kw[nl] {
				t.Errorf("Dutch %q is itself a keyword of the language", nl)
			}
		}
	}
	// The keywords of network and application labs (issue 16) have a
	// Dutch word each.
	have := map[string]bool{}
	for _, en := range dutchKeywords {
		have[en] = true
	}
	for _, en := range dutchBlocks {
		have[en] = true
	}
	for _, en := range []string{"point_to_point", "subnet6", "ipv6_address", "default_route", "route", "to", "via",
		"mac_address", "interface", "env_file", "secret", "secrets", "expose"} {
		if !have[en] {
			t.Errorf("no Dutch word leads to %q", en)
		}
	}
}

func TestDutchHintsNetworkAndApplicationKeywords(t *testing.T) {
	src := `
network "lan" {
  subnet = "10.0.1.0/24"
}
network "link" {
  subnet         = "10.0.9.0/30"
  punt_tot_punt  = true
}
variable "pw" {
  sensitive = true
  default   = "x"
}
geheim "db" {
  source = var.pw
}
service "r1" {
  image          = "img"
  standaardroute = false
  omgevingsbestand = "app.env"
  geheimen       = ["db"]
  blootstellen   = [80]
  network "lan" {
    ipv4_address = "10.0.1.2"
    mac_adres    = "02:00:00:00:00:01"
    koppelvlak   = "eth0"
  }
  route {
    naar = "10.0.2.0/24"
    via  = "10.0.1.1"
  }
}
service "r2" {
  image      = "img"
  depends_on = { r1 = "gestart" }
}
`
	_, diags := loadSourceDiags(t, src)
	for word, en := range map[string]string{
		"punt_tot_punt": "point_to_point", "standaardroute": "default_route", "omgevingsbestand": "env_file",
		"geheimen": "secrets", "blootstellen": "expose", "mac_adres": "mac_address", "koppelvlak": "interface",
		"naar": "to",
	} {
		wantError(t, diags, "Unsupported argument", `"`+word+`" is not expected here. The language uses English keywords: did you mean "`+en+`"?`)
	}
	// As a block, geheim is a secret; as an attribute it stays "sensitive".
	wantError(t, diags, "Unsupported block type", `"geheim" are not expected here. The language uses English keywords: did you mean "secret"?`)
	wantError(t, diags, "Invalid value for depends_on", `"gestart" is not a valid depends_on; use one of "started", "ready" or "completed". The language uses English values: did you mean "started"?`)

	_, diags = loadSourceDiags(t, `
variable "pw" {
  geheim = true
}
`)
	wantError(t, diags, "Unsupported argument", `did you mean "sensitive"?`)
}

// A Dutch value is only suggested where it is a value of the attribute.
func TestDutchValueOnlyForItsAttribute(t *testing.T) {
	if got := dutchValue("voltooid", dependConditions); !strings.Contains(got, `"completed"`) {
		t.Errorf("dutchValue(voltooid) = %q, want completed", got)
	}
	if got := dutchValue("voltooid", restartModes); got != "" {
		t.Errorf("dutchValue(voltooid, restart modes) = %q, want none", got)
	}
}

// TestMisspelledBlockComesFirst: a misspelled block ("servise") is left
// out, so every reference to the service fails too. Those consequences
// may be in a file read earlier (checks.hcl before main.hcl); the cause
// is listed first, so it is never below them or cut off after the first
// 20 diagnostics.
func TestMisspelledBlockComesFirst(t *testing.T) {
	checks := ""
	for i := range 25 {
		checks += fmt.Sprintf("check \"c%d\" {\n  exec {\n    service = service.pc\n    command = [\"true\"]\n  }\n}\n", i)
	}
	dir := writeFiles(t, map[string]string{
		"checks.hcl": checks,
		"main.hcl":   envHeader + "servise \"pc\" {\n  image = \"busybox\"\n}\n",
	})
	_, diags := Load(Options{Dir: dir})
	if len(diags) == 0 || diags[0].Summary != "Unsupported block type" || !strings.Contains(diags[0].Detail, `"service"`) {
		t.Fatalf("first diagnostic is not the misspelled block:\n%s", diagList(diags))
	}
}
