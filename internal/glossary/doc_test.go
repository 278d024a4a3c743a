package glossary

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/glossary.md from Terms")

const docPath = "../../docs/glossary.md"

// glossaryDoc is docs/glossary.md as Terms make it.
func glossaryDoc() string {
	var b strings.Builder
	b.WriteString(`# Glossary · Woordenlijst

One name per thing. The design document, the report, the terminal output
and these docs use the terms below; the Dutch ones are those of the
qualification profile ICT beheerder (niveau 4). A test renders every
catalogue lab's documents in both languages and fails when a Dutch
document holds a term of the English column (outside code, ids and what
the lab's author wrote), or the reverse. The list is ` + "`internal/glossary`" + `;
this page is generated from it (` + "`go test ./internal/glossary -update`" + `).

| Nederlands | English |
| --- | --- |
`)
	for _, t := range Terms {
		b.WriteString("| " + t.NL + " | " + t.EN + " |\n")
	}
	return b.String()
}

func TestGlossaryDoc(t *testing.T) {
	want := glossaryDoc()
	if *update {
		if err := os.WriteFile(docPath, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(docPath)
	if err != nil || string(got) != want {
		t.Errorf("docs/glossary.md is not what internal/glossary holds (%v); run go test ./internal/glossary -update", err)
	}
}
