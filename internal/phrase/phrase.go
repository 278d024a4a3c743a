// Package phrase holds texts in a form a report can translate: a message
// key and its arguments. Checks and probes describe what they expected and
// what they found with phrases next to their English text; the report
// package owns the messages ("text.<key>") in every language.
package phrase

// Phrase is one message key with its arguments. Arguments are the user's
// own values (paths, patterns, names, numbers) and are never translated.
type Phrase struct {
	Key  string   `json:"key"`
	Args []string `json:"args,omitempty"`
}

// Text is a list of phrases, shown joined by ", ".
type Text []Phrase

// P is the phrase key with args.
func P(key string, args ...string) Phrase { return Phrase{Key: key, Args: args} }

// Of is a text of the phrases ps.
func Of(ps ...Phrase) Text { return Text(ps) }
