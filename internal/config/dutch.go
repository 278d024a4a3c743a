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
	// network labs
	"punt_tot_punt": "point_to_point", "punt_naar_punt": "point_to_point", "puntverbinding": "point_to_point",
	"subnet_ipv6": "subnet6", "ipv6_subnet": "subnet6", "ipv6_adres": "ipv6_address", "ipv4_adres": "ipv4_address",
	"standaardroute": "default_route", "standaard_route": "default_route", "routes": "route",
	"naar": "to", "bestemming": "to", "volgende_hop": "via",
	"mac_adres": "mac_address", "macadres": "mac_address", "hardware_adres": "mac_address",
	"koppelvlak": "interface", "netwerkkaart": "interface", "netwerkinterface": "interface", "interfacenaam": "interface",
	// application labs
	"omgevingsbestand": "env_file", "env_bestand": "env_file", "omgevingsvariabelen_bestand": "env_file",
	"geheimen": "secrets", "blootstellen": "expose", "openstellen": "expose",
}

// dutchBlocks overrides dutchKeywords where a word means another keyword
// as a block than as an attribute: geheim = true is "sensitive", a
// geheim "db" { ... } block is a "secret".
var dutchBlocks = map[string]string{
	"geheim": "secret", "geheimen": "secret",
}

// dutchValues maps Dutch words for the values of an enumerated attribute
// to the English value, for enum's error; only words that cannot mean
// another value of the same attribute.
var dutchValues = map[string]string{
	"gestart": "started", "gereed": "ready", "klaar": "ready",
	"voltooid": "completed", "afgerond": "completed", "beeindigd": "completed", "beëindigd": "completed",
}

var unexpectedName = regexp.MustCompile(`^(Blocks of type|An argument named) "([^"]+)" (are|is) not expected here\.`)

// dutchValue returns " The language uses English values: did you mean
// ...?" when given is a Dutch word for one of the allowed values, or "".
func dutchValue(given string, allowed []string) string {
	en, ok := dutchValues[strings.ToLower(given)]
	if !ok {
		return ""
	}
	for _, a := range allowed {
		if a == en {
			return fmt.Sprintf(" The language uses English values: did you mean %q?", en)
		}
	}
	return ""
}

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
		word := strings.ToLower(m[2])
		en, ok := dutchKeywords[word]
		if b, isBlock := dutchBlocks[word]; isBlock && m[1] == "Blocks of type" {
			en, ok = b, true
		}
		if !ok {
			continue
		}
		d.Detail = fmt.Sprintf("%s The language uses English keywords: did you mean %q?", m[0], en)
	}
}
