package report

import (
	"testing"

	"github.com/proeftuin/proeftuin/internal/phrase"
)

func TestCheckTextsAreTranslated(t *testing.T) {
	nl, _ := catalogue("nl")
	exp := phrase.Of(phrase.P("file_exists", "/etc/app.conf"), phrase.P("contains", "listen 80"))
	act := phrase.Of(phrase.P("file_absent", "/etc/app.conf"))
	c := Check{
		Expected: English(exp), ExpectedText: exp,
		ActualText: act,
		Reason:     &Reason{Code: ReasonStepTimeRanOut},
	}
	c.Actual = c.Reason.English() + "\n" + English(act) + "\nmore detail"
	if got, want := nl.checkExpected(c), `/etc/app.conf bestaat, bevat "listen 80"`; got != want {
		t.Errorf("expected = %q, want %q", got, want)
	}
	reason, _ := nl.reason(c.Reason)
	if got, want := nl.checkActual(c), reason+"\n/etc/app.conf bestaat niet\nmore detail"; got != want {
		t.Errorf("actual = %q, want %q", got, want)
	}
}

// TestCheckTextsFallBack: a document without phrases, with a key this
// version does not know, or with phrases that do not say what the stored
// text says, shows the stored text as it is.
func TestCheckTextsFallBack(t *testing.T) {
	nl, _ := catalogue("nl")
	for _, c := range []Check{
		{Expected: "exit code 0", Actual: "exit code 1"},
		{Expected: "something new", ExpectedText: phrase.Of(phrase.P("from_the_future")), Actual: "x", ActualText: phrase.Of(phrase.P("from_the_future"))},
		{Expected: "exit code 0", ExpectedText: phrase.Of(phrase.P("exit_code", "2")), Actual: "exit code 1", ActualText: phrase.Of(phrase.P("exit_code", "3"))},
		{Expected: "exit code 0", ExpectedText: phrase.Of(phrase.P("exit_code")), Actual: "exit code 1", ActualText: phrase.Of(phrase.P("exit_code", "1", "2"))},
	} {
		if got := nl.checkExpected(c); got != c.Expected {
			t.Errorf("expected of %+v = %q, want it as stored", c, got)
		}
		if got := nl.checkActual(c); got != c.Actual {
			t.Errorf("actual of %+v = %q, want it as stored", c, got)
		}
	}
}

// TestPhrasesHaveBothLanguages: every phrase message exists in both
// languages with the same verbs, and user values stay as they are.
func TestPhrasesHaveBothLanguages(t *testing.T) {
	for k, en := range phrases["en"] {
		nl, ok := phrases["nl"][k]
		if !ok {
			t.Errorf("%s: no Dutch message", k)
			continue
		}
		if verbCount(en) != verbCount(nl) {
			t.Errorf("%s: %d verbs in English, %d in Dutch", k, verbCount(en), verbCount(nl))
		}
	}
}

func TestActionErrorIsTranslated(t *testing.T) {
	nl, _ := catalogue("nl")
	et := phrase.Of(phrase.P("exit_code_want", "3", "0"))
	a := Action{Status: Failed, Error: "exit code 3, expected 0", ErrorText: et}
	if got, want := nl.actionWhy(a), "exitcode 3, verwacht 0"; got != want {
		t.Errorf("actionWhy = %q, want %q", got, want)
	}
	a.Error = "exit code 3, expected 1"
	if got := nl.actionWhy(a); got != a.Error {
		t.Errorf("actionWhy of a mismatched text = %q, want the stored error", got)
	}
}
