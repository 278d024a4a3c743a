package report

import (
	"fmt"
	"sort"
	"strings"
)

// DefaultLang is the language used when none is given: the students this
// tool is written for read Dutch.
const DefaultLang = "nl"

// catalogues holds every message in every language. Both catalogues must
// have exactly the same keys (a test checks this) and the same fmt verbs.
var catalogues = map[string]map[string]string{
	"nl": {
		"title":       "Evaluatierapport",
		"title.check": "Rapport acceptatietests",

		"meta":             "Gegevens",
		"meta.environment": "Omgeving",
		"meta.instance":    "Instantie",
		"meta.plan":        "Implementatieplan",
		"meta.author":      "Auteur",
		"meta.date":        "Datum",
		"meta.duration":    "Duur",
		"meta.tool":        "Gemaakt met",
		"meta.engine":      "Docker Engine",
		"meta.hash":        "Hash van de definities",
		"meta.plan_hash":   "Hash van het plan",
		"meta.run_id":      "Run-ID",
		"meta.result":      "Resultaat",
		"meta.version":     "versie %s",
		"meta.unknown":     "(onbekend)",
		"meta.no_author":   "(niet ingevuld)",

		"summary":              "Samenvatting",
		"summary.total":        "Totaal",
		"summary.requirements": "%d van de %d geverifieerd, %d mislukt, %d niet geverifieerd.",
		"steps":                "Stappen",
		"checks":               "Controles",
		"requirements":         "Eisen",

		"status.passed":      "Geslaagd",
		"status.failed":      "Mislukt",
		"status.skipped":     "Overgeslagen",
		"status.rolled_back": "Teruggedraaid",
		"status.interrupted": "Onderbroken",
		"status.error":       "Fout",
		"status.unknown":     "Onbekend",

		"verdict.verified":     "Geverifieerd",
		"verdict.failed":       "Mislukt",
		"verdict.not_verified": "Niet geverifieerd",

		"eval":                    "Evaluatie",
		"reflect.intro":           "Beantwoord de vragen hieronder. Schrijf je antwoorden in een Markdown-bestand met een kop per vraag en voeg het toe met proeftuin report --in result.json --author \"Naam\" --notes reflectie.md.",
		"reflect.different":       "Wat ging er anders dan gepland?",
		"reflect.cause":           "Wat was de oorzaak?",
		"reflect.next":            "Wat zou je een volgende keer anders doen?",
		"reflect.advice":          "Welk advies geef je de opdrachtgever?",
		"reflect.empty":           "(nog niet beantwoord)",
		"reflect.other":           "Overige aantekeningen",
		"eval.time.planned":       "Gepland",
		"eval.time.diff":          "Verschil",
		"eval.time.overran":       "Langer dan gepland: %s.",
		"eval.time.in_time":       "Geen stap duurde langer dan gepland.",
		"meta.amended":            "Aangevuld na de uitvoering",
		"amended.author":          "auteur",
		"amended.notes":           "reflectie",
		"eval.intro":              "Hieronder staat hoe de uitvoering verliep ten opzichte van het implementatieplan.",
		"eval.passed":             "Wat is gelukt",
		"eval.passed.steps":       "%d van de %d stappen zijn geslaagd.",
		"eval.passed.checks":      "%d van de %d controles zijn geslaagd.",
		"eval.passed.reqs":        "%d van de %d eisen zijn aangetoond met een geslaagde controle.",
		"eval.deviations":         "Afwijkingen van het plan",
		"eval.deviations.none":    "Geen afwijkingen: alle stappen zijn volgens plan en in één keer uitgevoerd.",
		"eval.time":               "Tijd per stap",
		"eval.time.share":         "Aandeel",
		"eval.unverified":         "Niet geverifieerde eisen",
		"eval.unverified.none":    "Alle eisen zijn geverifieerd.",
		"eval.unverified.failed":  "een controle voor deze eis is mislukt",
		"eval.unverified.nocheck": "er is geen controle uitgevoerd die deze eis aantoont",

		"dev.failed":           "Stap %s is mislukt.",
		"dev.failed.attempts":  "Stap %s is na %d pogingen mislukt.",
		"dev.retried":          "Stap %s is pas bij poging %d geslaagd.",
		"dev.rolled_back.ok":   "Stap %s is teruggedraaid; het terugdraaien is gelukt.",
		"dev.rolled_back.fail": "Stap %s is teruggedraaid, maar het terugdraaien is mislukt.",
		"dev.skipped":          "Stap %s is overgeslagen.",
		"dev.resumed":          "Stap %s was al in een eerdere run uitgevoerd; de uitvoering is handmatig hervat.",
		"dev.interrupted":      "Stap %s is onderbroken.",
		"dev.other":            "Stap %s: %s.",
		"dev.cause":            "Oorzaak: %s",
		"dev.failed_items":     "Niet gelukt: %s.",
		"dev.item.action":      "actie %d (%s)",
		"dev.item.check":       "controle %s",

		"step":            "Stap",
		"step.implements": "Implementeert",
		"step.error":      "Foutmelding",
		"step.actions":    "Acties",
		"step.checks":     "Controles",
		"step.rollback":   "Terugdraaien",
		"step.none":       "Er zijn geen acties of controles vastgelegd.",
		"step.resumed":    "Deze stap was al in een eerdere run uitgevoerd en is nu niet opnieuw uitgevoerd.",

		"action":           "Actie %d: %s",
		"action.rollback":  "Terugdraaiactie %d: %s",
		"action.command":   "Opdracht",
		"action.exit_code": "Exitcode",
		"action.stdout":    "Uitvoer (stdout)",
		"action.stderr":    "Foutuitvoer (stderr)",
		"action.tail":      "ingekort: alleen de laatste %d regels",
		"action.truncated": "ingekort: alleen het einde van de uitvoer",

		"check":          "Controle",
		"check.kind":     "Soort",
		"check.from":     "Vanaf",
		"check.host":     "host",
		"check.verifies": "Verifieert",
		"check.attempts": "Pogingen",
		"expected":       "Verwacht",
		"actual":         "Werkelijk",

		"col.status":   "Status",
		"col.attempts": "Pogingen",
		"col.duration": "Duur",
		"col.title":    "Omschrijving",

		"acceptance":      "Acceptatietests",
		"acceptance.none": "Er zijn geen acceptatietests uitgevoerd.",

		"matrix":             "Traceerbaarheidsmatrix",
		"matrix.intro":       "Per eis: welke diensten de eis realiseren, welke controles haar aantonen, in welke stappen ze is geïmplementeerd en het oordeel.",
		"matrix.id":          "Eis",
		"matrix.kind":        "Soort, prioriteit",
		"matrix.priority":    "Prioriteit",
		"matrix.satisfied":   "Gerealiseerd door",
		"matrix.verified":    "Geverifieerd door",
		"matrix.implemented": "Geïmplementeerd in",
		"matrix.verdict":     "Oordeel",
		"matrix.none":        "Er zijn geen eisen beschreven.",

		"images":         "Images",
		"images.service": "Service",
		"images.ref":     "Image",
		"images.id":      "Image-ID",
		"images.none":    "Er zijn geen images vastgelegd.",

		"notes":       "Reflectie",
		"notes.empty": "Er is (nog) geen reflectie toegevoegd.",

		"grade":                     "Beoordeling",
		"grade.status":              "Beoordeling",
		"grade.points":              "Punten",
		"grade.points_of":           "%d van %d (%s%%)",
		"grade.reason":              "Waarom",
		"grade.requirement":         "Eis",
		"grade.check":               "Controle van de docent",
		"grade.missing":             "Ontbreekt",
		"grade.missing.service":     "Ontbreekt: de service %s, die de opdracht vraagt",
		"grade.missing.requirement": "Ontbreekt: de eis %s, die de opdracht vraagt",
		"grade.passed":              "Geslaagd",
		"grade.failed":              "Niet geslaagd",
		"grade.invalid":             "Ongeldig (de lab valideert niet)",
		"grade.refused":             "Geweigerd (onveilige instellingen of inlevering)",
		"grade.timed_out":           "Tijd op",
		"grade.error":               "Niet beoordeeld (fout)",
		"grade.why.invalid":         "het lab is niet geldig",
		"grade.why.refused":         "het lab vraagt om instellingen die bij het beoordelen nooit zijn toegestaan",
		"grade.why.timed_out":       "de inlevering duurde langer dan --timeout %s",
		"grade.why.disk":            "%s bevat %s MiB, meer dan de schijflimiet van %s MiB; de inlevering is gestopt",
		"grade.why.not_up":          "de omgeving kwam niet op: %s",

		"footer": "Gemaakt met %s %s (schema %d).",
		"none":   "geen",

		"incident.title":                  "Incidentrapport",
		"incident.text.hint":              "hint %d van %d",
		"incident.text.check":             "%d van %d herstelcontroles geslaagd",
		"incident.reflect.intro":          "Beantwoord de vragen hieronder over de storing: de oorzaak die je vond, het herstel dat je uitvoerde en hoe je het een volgende keer voorkomt. Schrijf je antwoorden in een Markdown-bestand met een kop per vraag en voeg het toe met proeftuin fault check --author \"Naam\" --notes reflectie.md.",
		"incident.ticket":                 "Melding",
		"incident.number":                 "Meldingnummer",
		"incident.reported":               "Gemeld op",
		"incident.priority":               "Prioriteit",
		"incident.category":               "Categorie",
		"incident.state":                  "Status",
		"incident.ttr":                    "Hersteltijd",
		"incident.hints":                  "Gebruikte hints",
		"incident.timeline":               "Tijdlijn",
		"incident.before":                 "Herstelcontroles vóór de storing",
		"incident.after":                  "Herstelcontroles na het herstel",
		"incident.cause":                  "Oorzaak (docent)",
		"incident.solution":               "Voorbeeldherstel (docent)",
		"incident.priority.low":           "laag",
		"incident.priority.medium":        "gemiddeld",
		"incident.priority.high":          "hoog",
		"incident.priority.critical":      "kritiek",
		"incident.category.service":       "dienst",
		"incident.category.network":       "netwerk",
		"incident.category.configuration": "configuratie",
		"incident.category.storage":       "opslag",
		"incident.category.security":      "beveiliging",
		"incident.category.performance":   "prestaties",
		"incident.status.injecting":       "wordt gestart",
		"incident.status.open":            "open",
		"incident.status.resolved":        "opgelost",
		"incident.status.reset":           "teruggezet",
		"incident.event.start":            "melding",
		"incident.event.injected":         "storing actief",
		"incident.event.exec":             "opdracht",
		"incident.event.logs":             "logboek",
		"incident.event.hint":             "hint",
		"incident.event.check":            "controle",
		"incident.event.resolved":         "opgelost",
		"incident.event.reset":            "teruggezet",

		"text.failed_checks": "Mislukte controles",
		"text.result":        "Resultaat: %s",

		"junit.failed":      "%s is mislukt",
		"junit.interrupted": "onderbroken",
		"junit.step_failed": "stap %s: %s",

		// Reasons the runner gives (Reason.Code); see reason.go.
		"reason.not_selected":             "niet gekozen (--only %s)",
		"reason.before_start":             "komt vóór de startstap (--from-step %s)",
		"reason.run_interrupted":          "niet uitgevoerd: de uitvoering is onderbroken",
		"reason.earlier_step_failed":      "niet uitgevoerd: stap %s is mislukt (on_failure = \"stop\")",
		"reason.rolled_back_after":        "niet uitgevoerd: stap %s is mislukt en het plan is teruggedraaid",
		"reason.interrupted":              "onderbroken terwijl de stap liep",
		"reason.interrupted_before_retry": "onderbroken tijdens het wachten op een nieuwe poging",
		"reason.step_timeout":             "de stap was niet klaar binnen de tijdslimiet van %s",
		"reason.action_interrupted":       "onderbroken",
		"reason.step_time_ran_out":        "gestopt: de tijdslimiet van de stap is verstreken",
		"reason.action_timeout":           "niet klaar binnen de tijdslimiet van %s",

		"month.1": "januari", "month.2": "februari", "month.3": "maart",
		"month.4": "april", "month.5": "mei", "month.6": "juni",
		"month.7": "juli", "month.8": "augustus", "month.9": "september",
		"month.10": "oktober", "month.11": "november", "month.12": "december",
	},
	"en": {
		"title":       "Evaluation report",
		"title.check": "Acceptance test report",

		"meta":             "Details",
		"meta.environment": "Environment",
		"meta.instance":    "Instance",
		"meta.plan":        "Implementation plan",
		"meta.author":      "Author",
		"meta.date":        "Date",
		"meta.duration":    "Duration",
		"meta.tool":        "Made with",
		"meta.engine":      "Docker Engine",
		"meta.hash":        "Definitions hash",
		"meta.plan_hash":   "Plan hash",
		"meta.run_id":      "Run ID",
		"meta.result":      "Result",
		"meta.version":     "version %s",
		"meta.unknown":     "(unknown)",
		"meta.no_author":   "(not filled in)",

		"summary":              "Summary",
		"summary.total":        "Total",
		"summary.requirements": "%d of %d verified, %d failed, %d not verified.",
		"steps":                "Steps",
		"checks":               "Checks",
		"requirements":         "Requirements",

		"status.passed":      "Passed",
		"status.failed":      "Failed",
		"status.skipped":     "Skipped",
		"status.rolled_back": "Rolled back",
		"status.interrupted": "Interrupted",
		"status.error":       "Error",
		"status.unknown":     "Unknown",

		"verdict.verified":     "Verified",
		"verdict.failed":       "Failed",
		"verdict.not_verified": "Not verified",

		"eval":                    "Evaluation",
		"reflect.intro":           "Answer the questions below. Write your answers in a Markdown file with a heading per question and add it with proeftuin report --in result.json --author \"Name\" --notes reflection.md.",
		"reflect.different":       "What went differently than planned?",
		"reflect.cause":           "What was the cause?",
		"reflect.next":            "What would you do differently next time?",
		"reflect.advice":          "What do you advise the client?",
		"reflect.empty":           "(not answered yet)",
		"reflect.other":           "Other notes",
		"eval.time.planned":       "Planned",
		"eval.time.diff":          "Difference",
		"eval.time.overran":       "Took longer than planned: %s.",
		"eval.time.in_time":       "No step took longer than planned.",
		"meta.amended":            "Added after the run",
		"amended.author":          "author",
		"amended.notes":           "reflection",
		"eval.intro":              "How the run went compared with the implementation plan.",
		"eval.passed":             "What went well",
		"eval.passed.steps":       "%d of %d steps passed.",
		"eval.passed.checks":      "%d of %d checks passed.",
		"eval.passed.reqs":        "%d of %d requirements were shown by a passing check.",
		"eval.deviations":         "Deviations from the plan",
		"eval.deviations.none":    "No deviations: every step ran as planned, first time.",
		"eval.time":               "Time per step",
		"eval.time.share":         "Share",
		"eval.unverified":         "Requirements not verified",
		"eval.unverified.none":    "Every requirement is verified.",
		"eval.unverified.failed":  "a check for this requirement failed",
		"eval.unverified.nocheck": "no check that verifies this requirement ran",

		"dev.failed":           "Step %s failed.",
		"dev.failed.attempts":  "Step %s failed after %d attempts.",
		"dev.retried":          "Step %s only passed on attempt %d.",
		"dev.rolled_back.ok":   "Step %s was rolled back; the rollback succeeded.",
		"dev.rolled_back.fail": "Step %s was rolled back, but the rollback failed.",
		"dev.skipped":          "Step %s was skipped.",
		"dev.resumed":          "Step %s had already run in an earlier run; the run was resumed by hand.",
		"dev.interrupted":      "Step %s was interrupted.",
		"dev.other":            "Step %s: %s.",
		"dev.cause":            "Cause: %s",
		"dev.failed_items":     "Did not pass: %s.",
		"dev.item.action":      "action %d (%s)",
		"dev.item.check":       "check %s",

		"step":            "Step",
		"step.implements": "Implements",
		"step.error":      "Error message",
		"step.actions":    "Actions",
		"step.checks":     "Checks",
		"step.rollback":   "Rollback",
		"step.none":       "No actions or checks were recorded.",
		"step.resumed":    "This step had already run in an earlier run and was not run again.",

		"action":           "Action %d: %s",
		"action.rollback":  "Rollback action %d: %s",
		"action.command":   "Command",
		"action.exit_code": "Exit code",
		"action.stdout":    "Output (stdout)",
		"action.stderr":    "Error output (stderr)",
		"action.tail":      "shortened: last %d lines only",
		"action.truncated": "shortened: only the end of the output",

		"check":          "Check",
		"check.kind":     "Kind",
		"check.from":     "From",
		"check.host":     "host",
		"check.verifies": "Verifies",
		"check.attempts": "Attempts",
		"expected":       "Expected",
		"actual":         "Actual",

		"col.status":   "Status",
		"col.attempts": "Attempts",
		"col.duration": "Duration",
		"col.title":    "Title",

		"acceptance":      "Acceptance tests",
		"acceptance.none": "No acceptance checks ran.",

		"matrix":             "Traceability matrix",
		"matrix.intro":       "For each requirement: the services that satisfy it, the checks that verify it, the steps that implement it, and the verdict.",
		"matrix.id":          "Requirement",
		"matrix.kind":        "Kind, priority",
		"matrix.priority":    "Priority",
		"matrix.satisfied":   "Satisfied by",
		"matrix.verified":    "Verified by",
		"matrix.implemented": "Implemented by",
		"matrix.verdict":     "Verdict",
		"matrix.none":        "No requirements are described.",

		"images":         "Images",
		"images.service": "Service",
		"images.ref":     "Image",
		"images.id":      "Image ID",
		"images.none":    "No images were recorded.",

		"notes":       "Reflection",
		"notes.empty": "No reflection has been added (yet).",

		"grade":                     "Grade",
		"grade.status":              "Grade",
		"grade.points":              "Points",
		"grade.points_of":           "%d of %d (%s%%)",
		"grade.reason":              "Why",
		"grade.requirement":         "Requirement",
		"grade.check":               "Teacher's check",
		"grade.missing":             "Missing",
		"grade.missing.service":     "Missing: service %s, which the assignment requires",
		"grade.missing.requirement": "Missing: requirement %s, which the assignment requires",
		"grade.passed":              "Passed",
		"grade.failed":              "Failed",
		"grade.invalid":             "Invalid (the lab does not validate)",
		"grade.refused":             "Refused (unsafe settings or hand-in)",
		"grade.timed_out":           "Timed out",
		"grade.error":               "Not graded (error)",
		"grade.why.invalid":         "the lab does not validate",
		"grade.why.refused":         "the lab asks for settings that are never allowed when grading",
		"grade.why.timed_out":       "the submission took longer than --timeout %s",
		"grade.why.disk":            "%s holds %s MiB, more than the rubric's disk limit of %s MiB; the submission was stopped",
		"grade.why.not_up":          "the environment did not come up: %s",

		"footer": "Made with %s %s (schema %d).",
		"none":   "none",

		"incident.title":                  "Incident report",
		"incident.text.hint":              "hint %d of %d",
		"incident.text.check":             "%d of %d recovered checks pass",
		"incident.reflect.intro":          "Answer the questions below about the fault: the cause you found, the repair you made and how to prevent it next time. Write your answers in a Markdown file with a heading per question and add it with proeftuin fault check --author \"Name\" --notes reflection.md.",
		"incident.ticket":                 "Ticket",
		"incident.number":                 "Ticket number",
		"incident.reported":               "Reported at",
		"incident.priority":               "Priority",
		"incident.category":               "Category",
		"incident.state":                  "Status",
		"incident.ttr":                    "Time to repair",
		"incident.hints":                  "Hints used",
		"incident.timeline":               "Timeline",
		"incident.before":                 "Recovered checks before the fault",
		"incident.after":                  "Recovered checks after the repair",
		"incident.cause":                  "Cause (teacher)",
		"incident.solution":               "Reference repair (teacher)",
		"incident.priority.low":           "low",
		"incident.priority.medium":        "medium",
		"incident.priority.high":          "high",
		"incident.priority.critical":      "critical",
		"incident.category.service":       "service",
		"incident.category.network":       "network",
		"incident.category.configuration": "configuration",
		"incident.category.storage":       "storage",
		"incident.category.security":      "security",
		"incident.category.performance":   "performance",
		"incident.status.injecting":       "starting",
		"incident.status.open":            "open",
		"incident.status.resolved":        "resolved",
		"incident.status.reset":           "reset",
		"incident.event.start":            "reported",
		"incident.event.injected":         "fault active",
		"incident.event.exec":             "command",
		"incident.event.logs":             "logs",
		"incident.event.hint":             "hint",
		"incident.event.check":            "check",
		"incident.event.resolved":         "resolved",
		"incident.event.reset":            "reset",

		"text.failed_checks": "Failed checks",
		"text.result":        "Result: %s",

		"junit.failed":      "%s failed",
		"junit.interrupted": "interrupted",
		"junit.step_failed": "step %s: %s",

		// The English reasons are, word for word, the texts the runner
		// writes into the error fields (Reason.English).
		"reason.not_selected":             "not selected (--only %s)",
		"reason.before_start":             "before the starting step (--from-step %s)",
		"reason.run_interrupted":          "not run: the run was interrupted",
		"reason.earlier_step_failed":      "not run: step %s failed (on_failure = \"stop\")",
		"reason.rolled_back_after":        "not run: step %s failed and the plan was rolled back",
		"reason.interrupted":              "interrupted while the step ran",
		"reason.interrupted_before_retry": "interrupted while waiting to retry",
		"reason.step_timeout":             "the step did not finish within its timeout of %s",
		"reason.action_interrupted":       "interrupted",
		"reason.step_time_ran_out":        "stopped: the step's timeout ran out",
		"reason.action_timeout":           "timed out after %s",

		"month.1": "January", "month.2": "February", "month.3": "March",
		"month.4": "April", "month.5": "May", "month.6": "June",
		"month.7": "July", "month.8": "August", "month.9": "September",
		"month.10": "October", "month.11": "November", "month.12": "December",
	},
}

// Languages lists the languages the renderers speak, sorted.
func Languages() []string {
	var out []string
	for l := range catalogues {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// messages is one language's catalogue.
type messages struct {
	lang string
	m    map[string]string
}

// catalogue returns the messages for lang. "" means DefaultLang; a region
// or encoding suffix is ignored ("nl_NL.UTF-8", "en-GB").
func catalogue(lang string) (messages, error) {
	l := strings.ToLower(strings.TrimSpace(lang))
	if l == "" {
		l = DefaultLang
	}
	if i := strings.IndexAny(l, "-_."); i > 0 {
		l = l[:i]
	}
	m, ok := catalogues[l]
	if !ok {
		return messages{}, fmt.Errorf("report: unknown language %q: choose one of %s", lang, strings.Join(Languages(), ", "))
	}
	return messages{lang: l, m: m}, nil
}

// T returns the message for key, formatted with args when given. A
// missing key shows itself, so it is noticed rather than hidden.
func (m messages) T(key string, args ...any) string {
	s, ok := m.m[key]
	if !ok {
		s = key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// status is the translated name of a status.
func (m messages) status(s Status) string {
	if _, ok := m.m["status."+string(s)]; ok && s != "" {
		return m.m["status."+string(s)]
	}
	if s == "" {
		return m.m["status.unknown"]
	}
	return string(s)
}

// verdict is the translated name of a requirement verdict.
func (m messages) verdict(v string) string {
	if s, ok := m.m["verdict."+v]; ok && v != "" {
		return s
	}
	if v == "" {
		return m.m["verdict.not_verified"]
	}
	return v
}
