package config

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// dutchKeywords maps Dutch words students write for a block or attribute
// to the English keyword of the language. HCL's own "Did you mean"
// compares spelling, so it cannot get from "dienst" to "service".
var dutchKeywords = map[string]string{
	// blocks
	"omgeving": "environment", "variabele": "variable", "variabelen": "variable",
	"lokaal": "locals", "lokale": "locals", "lokalen": "locals",
	"eis": "requirement", "eisen": "requirement", "vereiste": "requirement", "vereisten": "requirement",
	"netwerk": "network", "netwerken": "network",
	"dienst": "service", "diensten": "service",
	"controle": "check", "controles": "check", "toets": "check", "acceptatietest": "check",
	"stap": "step", "stappen": "step",
	"implementatieplan": "plan", "invoeringsplan": "plan",
	"bouw": "build", "bouwen": "build",
	"poort": "port", "poorten": "port",
	"koppeling": "mount", "aankoppeling": "mount",
	"bestand": "file", "bestanden": "file",
	"gereed": "ready", "klaar": "ready",
	"gezondheidscontrole": "healthcheck", "gezondheid": "healthcheck",
	"middelen": "resources", "bronnen": "resources",
	"validatie":    "validation",
	"terugdraaien": "rollback", "herstel": "rollback",
	"opnieuw": "retry", "herhaal": "retry", "herhalen": "retry",
	"uitvoeren": "exec", "voer_uit": "exec",
	"kopieer": "copy", "kopieren": "copy", "kopiëren": "copy",
	"herstart": "restart", "herstarten": "restart",
	"wacht": "wait", "wachten": "wait",
	"proces": "process",
	// attributes
	"titel": "title", "beschrijving": "description", "omschrijving": "description",
	"versie": "version", "standaard": "default", "standaardwaarde": "default",
	"gevoelig": "sensitive", "geheim": "sensitive", "soort": "kind",
	"prioriteit": "priority", "bron": "source", "intern": "internal",
	"afbeelding": "image", "beeld": "image",
	"opdracht": "command", "commando": "command",
	"omgevingsvariabelen": "env", "werkmap": "working_dir", "gebruiker": "user",
	"hostnaam": "hostname", "afhankelijk_van": "depends_on", "hangt_af_van": "depends_on",
	"voldoet_aan": "satisfies", "verifieert": "verifies", "implementeert": "implements",
	"doel": "target", "alleen_lezen": "read_only", "inhoud": "content",
	"modus": "mode", "rechten": "mode", "eigenaar": "owner", "pad": "path",
	"naam": "name", "adres": "address", "ip_adres": "ipv4_address", "geheugen": "memory",
	"tijdslimiet": "timeout", "pogingen": "attempts", "vertraging": "delay",
	"voorwaarde": "condition", "foutmelding": "error_message",
	"bij_fout": "on_failure", "gepland": "planned", "vanaf": "from",
}

var unexpectedName = regexp.MustCompile(`^(Blocks of type|An argument named) "([^"]+)" (are|is) not expected here\.`)

// hintDutch adds "did you mean" with the English keyword to HCL's
// "Unsupported block type" and "Unsupported argument" errors for a Dutch
// word of dutchKeywords.
func hintDutch(diags hcl.Diagnostics) {
	for _, d := range diags {
		if d.Summary != "Unsupported block type" && d.Summary != "Unsupported argument" {
			continue
		}
		m := unexpectedName.FindStringSubmatch(d.Detail)
		if m == nil {
			continue
		}
		en, ok := dutchKeywords[strings.ToLower(m[2])]
		if !ok {
			continue
		}
		d.Detail = fmt.Sprintf("%s The language uses English keywords: did you mean %q?", m[0], en)
	}
}
