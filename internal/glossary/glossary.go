// Package glossary is proeftuin's one vocabulary, Dutch and English: the
// terms the design document, the report, the terminal and the docs use
// for the same things. The Dutch terms are those of the qualification
// profile ICT beheerder (niveau 4): implementatieplan, testomgeving,
// functioneel ontwerp, technisch ontwerp, acceptatietest.
package glossary

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Term is one concept in both languages. Key is how code refers to it.
type Term struct {
	Key string
	NL  string
	EN  string
	// Shared marks a term written the same in both languages (MoSCoW,
	// "volume"): it never counts as the other language.
	Shared bool
}

// Terms is the glossary, in the order docs/glossary.md lists it.
var Terms = []Term{
	{Key: "design", NL: "ontwerp", EN: "design"},
	{Key: "functional_design", NL: "functioneel ontwerp", EN: "functional design"},
	{Key: "technical_design", NL: "technisch ontwerp", EN: "technical design"},
	{Key: "test_environment", NL: "testomgeving", EN: "test environment"},
	{Key: "implementation_plan", NL: "implementatieplan", EN: "implementation plan"},
	{Key: "acceptance_test", NL: "acceptatietest", EN: "acceptance test"},
	{Key: "acceptance_tests", NL: "acceptatietests", EN: "acceptance tests"},
	{Key: "acceptance_test_plan", NL: "acceptatietestplan", EN: "acceptance test plan"},
	{Key: "traceability_matrix", NL: "traceerbaarheidsmatrix", EN: "traceability matrix"},
	{Key: "requirement", NL: "eis", EN: "requirement"},
	{Key: "requirements", NL: "eisen", EN: "requirements"},
	{Key: "step", NL: "stap", EN: "step"},
	{Key: "steps", NL: "stappen", EN: "steps"},
	{Key: "check", NL: "controle", EN: "check"},
	{Key: "service", NL: "dienst", EN: "service"},
	{Key: "services", NL: "diensten", EN: "services"},
	{Key: "network", NL: "netwerk", EN: "network"},
	{Key: "networks", NL: "netwerken", EN: "networks"},
	{Key: "ip_plan", NL: "IP-plan", EN: "IP plan"},
	{Key: "gateway", NL: "gateway", EN: "gateway", Shared: true},
	{Key: "internal", NL: "intern", EN: "internal"},
	{Key: "automatic", NL: "automatisch", EN: "automatic"},
	{Key: "known_after_up", NL: "bekend na up", EN: "known after up"},
	{Key: "sensitive", NL: "gevoelig", EN: "sensitive"},
	{Key: "default", NL: "standaard", EN: "default"},
	{Key: "depends_on", NL: "hangt af van", EN: "depends on"},
	{Key: "volume", NL: "volume", EN: "volume", Shared: true},
	{Key: "expected", NL: "verwacht", EN: "expected"},
	{Key: "actual", NL: "werkelijk", EN: "actual"},
	{Key: "planned", NL: "gepland", EN: "planned"},
	{Key: "evaluation", NL: "evaluatie", EN: "evaluation"},
	{Key: "definitions_hash", NL: "hash van de definities", EN: "definitions hash"},
	{Key: "met_by_design", NL: "door het ontwerp", EN: "by the design"},
	{Key: "author", NL: "auteur", EN: "author"},
	{Key: "student_id", NL: "studentnummer", EN: "student number"},
	{Key: "class", NL: "klas", EN: "class"},
	{Key: "table_of_contents", NL: "inhoudsopgave", EN: "contents"},
	{Key: "introduction", NL: "inleiding", EN: "introduction"},
	{Key: "readiness", NL: "gereedheid", EN: "readiness"},
	{Key: "kind.functional", NL: "functioneel", EN: "functional"},
	{Key: "kind.non-functional", NL: "niet-functioneel", EN: "non-functional"},
	{Key: "kind.security", NL: "beveiliging", EN: "security"},
	{Key: "kind.performance", NL: "prestaties", EN: "performance"},
	{Key: "kind.availability", NL: "beschikbaarheid", EN: "availability"},
	{Key: "kind.usability", NL: "bruikbaarheid", EN: "usability"},
	{Key: "kind.maintainability", NL: "onderhoudbaarheid", EN: "maintainability"},
	{Key: "kind.compliance", NL: "naleving", EN: "compliance"},
	{Key: "priority.must", NL: "Must", EN: "Must", Shared: true},
	{Key: "priority.should", NL: "Should", EN: "Should", Shared: true},
	{Key: "priority.could", NL: "Could", EN: "Could", Shared: true},
	{Key: "priority.wont", NL: "Won't", EN: "Won't", Shared: true},
}

var byKey = func() map[string]Term {
	m := map[string]Term{}
	for _, t := range Terms {
		m[t.Key] = t
	}
	return m
}()

// T is the term for key in lang ("nl" or "en"); an unknown key is
// returned as it is, so a missing term shows instead of vanishing.
func T(lang, key string) string {
	t, ok := byKey[key]
	if !ok {
		return key
	}
	if lang == "en" {
		return t.EN
	}
	return t.NL
}

// Kind is a requirement kind ("functional") in lang.
func Kind(lang, kind string) string {
	if kind == "" {
		return ""
	}
	if _, ok := byKey["kind."+kind]; !ok {
		return kind
	}
	return T(lang, "kind."+kind)
}

// Priority is a MoSCoW priority ("must") as it is taught: Must, Should,
// Could, Won't, the same in both languages.
func Priority(p string) string {
	if _, ok := byKey["priority."+p]; !ok {
		return p
	}
	return T("en", "priority."+p)
}

// Foreign returns the glossary terms of the other language than lang
// that occur in text as whole words (case-insensitive), so a test can
// find English in a Dutch document and the reverse. Terms written the same
// in both languages never count.
func Foreign(lang, text string) []string {
	lower := strings.ToLower(text)
	var out []string
	for _, t := range Terms {
		if t.Shared {
			continue
		}
		other, own := t.EN, t.NL
		if lang == "en" {
			other, own = t.NL, t.EN
		}
		if strings.EqualFold(other, own) {
			continue
		}
		if containsWord(lower, strings.ToLower(other)) {
			out = append(out, other)
		}
	}
	return out
}

// containsWord reports whether w occurs in s with no letter or digit
// right before or after it.
func containsWord(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(w)
		if !letterAt(s, start-1, true) && !letterAt(s, end, false) {
			return true
		}
		i = start + 1
	}
}

func letterAt(s string, i int, before bool) bool {
	if i < 0 || i >= len(s) {
		return false
	}
	var r rune
	if before {
		r, _ = utf8.DecodeLastRuneInString(s[:i+1])
	} else {
		r, _ = utf8.DecodeRuneInString(s[i:])
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_'
}
