package report

import (
	"sort"
	"strings"

	"github.com/proeftuin/proeftuin/internal/phrase"
)

// Phrase and Text are a check's expected or actual text in a form a
// report translates (see internal/phrase). The English text of the same
// phrases stays in the check's expected or actual field, for readers that
// do not know the keys and for documents written before phrases existed.
type (
	Phrase = phrase.Phrase
	Text   = phrase.Text
)

// English is t in English: the text written next to it ("" when a key is
// unknown).
func English(t Text) string {
	s, _ := messages{lang: "en", m: catalogues["en"]}.text(t)
	return s
}

// text is t in m's language, and whether every phrase has a key m knows
// whose verbs fit the arguments. A text from a newer proeftuin is not
// translated: the caller shows the stored string.
func (m messages) text(t Text) (string, bool) {
	if len(t) == 0 {
		return "", false
	}
	parts := make([]string, 0, len(t))
	for _, p := range t {
		msg, ok := m.m["text."+p.Key]
		if !ok || verbCount(msg) != len(p.Args) {
			return "", false
		}
		args := make([]any, len(p.Args))
		for i, a := range p.Args {
			args[i] = a
		}
		parts = append(parts, m.T("text."+p.Key, args...))
	}
	return strings.Join(parts, ", "), true
}

// verbCount is the number of fmt verbs of msg that take an argument.
func verbCount(msg string) int {
	n := 0
	for _, v := range verbRE.FindAllString(msg, -1) {
		if v != "%%" {
			n++
		}
	}
	return n
}

// PhraseKeys lists the key of every phrase this version translates,
// sorted (for tests of documents in both languages).
func PhraseKeys() []string {
	keys := make([]string, 0, len(phrases["en"]))
	for k := range phrases["en"] {
		keys = append(keys, strings.TrimPrefix(k, "text."))
	}
	sort.Strings(keys)
	return keys
}

// actionWhy is why an action did not pass, as a report shows it.
func (m messages) actionWhy(a Action) string {
	if s, ok := m.text(a.ErrorText); ok && a.Reason == nil && English(a.ErrorText) == a.Error {
		return s
	}
	return m.why(a.Reason, a.Error)
}

// checkExpected is what a check expected, as a report shows it.
func (m messages) checkExpected(c Check) string {
	// The phrases are shown only when they say what the stored text
	// says, so a text can never show something the run did not write.
	if s, ok := m.text(c.ExpectedText); ok && English(c.ExpectedText) == c.Expected {
		return s
	}
	return c.Expected
}

// phrases are the catalogue's "text." messages: the expectations and
// findings of checks. %q quotes a user's value as Go does (strconv.Quote).
var phrases = map[string]map[string]string{
	"nl": {
		"text.exit_code":       "exitcode %s",
		"text.exit_code_want":  "exitcode %s, verwacht %s",
		"text.stdout_contains": "stdout bevat %q",
		"text.stdout_matches":  "stdout komt overeen met /%s/",
		"text.stderr_contains": "stderr bevat %q",
		"text.stderr_matches":  "stderr komt overeen met /%s/",
		"text.stdout_was":      "stdout was: %q",
		"text.stderr_was":      "stderr was: %q",
		"text.stdout_empty":    "stdout was leeg",
		"text.stderr_empty":    "stderr was leeg",

		"text.file_absent":  "%s bestaat niet",
		"text.file_exists":  "%s bestaat",
		"text.file_folder":  "%s bestaat (een map)",
		"text.contains":     "bevat %q",
		"text.mode":         "modus %s",
		"text.not_regular":  "is geen gewoon bestand",
		"text.process_runs": "er draait een proces dat overeenkomt met %q",
		"text.no_process":   "er draait geen proces dat overeenkomt met %q",

		"text.state.running": "draait",
		"text.state.healthy": "gezond",
		"text.state.stopped": "gestopt",
		"text.no_container":  "geen container",
		"text.timed_out":     "tijd verstreken",

		"text.http_status":     "HTTP %s",
		"text.body_contains":   "antwoord bevat %q",
		"text.body_matches":    "antwoord komt overeen met /%s/",
		"text.header_contains": "kopregel %s bevat %q",
		"text.json_equals":     "%s = %q",

		"text.reachable":     "bereikbaar",
		"text.not_reachable": "niet bereikbaar",

		"text.resolves_to":  "%s wordt omgezet naar %s",
		"text.resolves":     "%s wordt omgezet",
		"text.not_resolves": "%s wordt niet omgezet",
		"text.resolved_to":  "wordt omgezet naar %s",
		"text.no_such_host": "wordt niet omgezet (onbekende naam)",
		"text.no_addresses": "wordt niet omgezet (geen adressen)",
		"text.body_was":     "antwoord was: %q",
		"text.no_header":    "geen kopregel %s",
		"text.header_was":   "kopregel %s: %q",

		"text.err.no_such_host":        "onbekende naam %s",
		"text.err.lookup_timed_out":    "tijd verstreken bij het opzoeken van %s",
		"text.err.connection_refused":  "verbinding geweigerd",
		"text.err.connection_reset":    "verbinding verbroken",
		"text.err.host_unreachable":    "host onbereikbaar",
		"text.err.network_unreachable": "netwerk onbereikbaar",
		"text.err.canceled":            "afgebroken",

		"text.no_process_matches":         "geen proces komt overeen",
		"text.no_process_matches_running": "geen proces komt overeen; actief: %s",
		"text.service_not_running":        "geen proces: dienst %s draait niet (%s)",
		"text.process_found":              "actief: %s (pid %s)",
		"text.processes_found":            "actief: %s (pid %s) en nog %s",
		"text.is_empty":                   "is leeg",
		"text.content_was":                "inhoud was: %q",

		"text.state.running_healthy":   "draait (gezond)",
		"text.state.running_unhealthy": "draait (ongezond)",
		"text.state.running_starting":  "draait (start nog)",
		"text.state.exited_code":       "beëindigd (exitcode %s)",
		"text.state.dead_code":         "dood (exitcode %s)",
		"text.state.created":           "aangemaakt",
		"text.state.paused":            "gepauzeerd",
		"text.state.restarting":        "herstart",
	},
	"en": {
		"text.exit_code":       "exit code %s",
		"text.exit_code_want":  "exit code %s, expected %s",
		"text.stdout_contains": "stdout contains %q",
		"text.stdout_matches":  "stdout matches /%s/",
		"text.stderr_contains": "stderr contains %q",
		"text.stderr_matches":  "stderr matches /%s/",
		"text.stdout_was":      "stdout was: %q",
		"text.stderr_was":      "stderr was: %q",
		"text.stdout_empty":    "stdout was empty",
		"text.stderr_empty":    "stderr was empty",

		"text.file_absent":  "%s does not exist",
		"text.file_exists":  "%s exists",
		"text.file_folder":  "%s exists (a folder)",
		"text.contains":     "contains %q",
		"text.mode":         "mode %s",
		"text.not_regular":  "is not a regular file",
		"text.process_runs": "a process matching %q runs",
		"text.no_process":   "no process matching %q runs",

		"text.state.running": "running",
		"text.state.healthy": "healthy",
		"text.state.stopped": "stopped",
		"text.no_container":  "no container",
		"text.timed_out":     "timed out",

		"text.http_status":     "HTTP %s",
		"text.body_contains":   "body contains %q",
		"text.body_matches":    "body matches /%s/",
		"text.header_contains": "header %s contains %q",
		"text.json_equals":     "%s = %q",

		"text.reachable":     "reachable",
		"text.not_reachable": "not reachable",

		"text.resolves_to":  "%s resolves to %s",
		"text.resolves":     "%s resolves",
		"text.not_resolves": "%s does not resolve",
		"text.resolved_to":  "resolves to %s",
		"text.no_such_host": "does not resolve (no such host)",
		"text.no_addresses": "does not resolve (no addresses)",
		"text.body_was":     "body was: %q",
		"text.no_header":    "no header %s",
		"text.header_was":   "header %s: %q",

		"text.err.no_such_host":        "no such host %s",
		"text.err.lookup_timed_out":    "name lookup of %s timed out",
		"text.err.connection_refused":  "connection refused",
		"text.err.connection_reset":    "connection reset",
		"text.err.host_unreachable":    "host unreachable",
		"text.err.network_unreachable": "network unreachable",
		"text.err.canceled":            "canceled",

		"text.no_process_matches":         "no process matches",
		"text.no_process_matches_running": "no process matches; running: %s",
		"text.service_not_running":        "no process: service %s is not running (%s)",
		"text.process_found":              "running: %s (pid %s)",
		"text.processes_found":            "running: %s (pid %s) and %s more",
		"text.is_empty":                   "is empty",
		"text.content_was":                "content was: %q",

		"text.state.running_healthy":   "running (healthy)",
		"text.state.running_unhealthy": "running (unhealthy)",
		"text.state.running_starting":  "running (starting)",
		"text.state.exited_code":       "exited (exit code %s)",
		"text.state.dead_code":         "dead (exit code %s)",
		"text.state.created":           "created",
		"text.state.paused":            "paused",
		"text.state.restarting":        "restarting",
	},
}

func init() {
	for lang, m := range phrases {
		for k, v := range m {
			catalogues[lang][k] = v
		}
	}
}
