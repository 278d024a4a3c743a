package report

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzRender feeds arbitrary JSON to every renderer: none may panic, and
// the JUnit output must stay well-formed XML whatever the document holds.
func FuzzRender(f *testing.F) {
	if seed, err := os.ReadFile(filepath.Join("testdata", "result.json.golden")); err == nil {
		f.Add(seed)
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"schema":1,"steps":[{"id":"a\u0000","status":"weird","attempts":-3,"duration_ms":-1,"actions":[{"kind":"exec","exit_code":null,"stdout":"\u001b[31m` + "```" + `"}]}],"requirements":[{"id":"R|1","verdict":"x"}],"deviations":[{"kind":"new"}]}`))
	f.Add([]byte(`{"plan":null,"acceptance":[{"name":"]]>","status":"failed","expected":"<x>","actual":"\ufffe"}],"summary":{"steps":{"total":-1}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var r Result
		if json.Unmarshal(data, &r) != nil {
			return
		}
		Summarize(&r)
		Redact(&r, []string{"a"})
		for _, lang := range []string{"nl", "en"} {
			for _, format := range Formats {
				var b strings.Builder
				if err := Render(&b, &r, format, lang); err != nil {
					t.Fatalf("%s/%s: %v", format, lang, err)
				}
				if format == "junit" {
					d := xml.NewDecoder(strings.NewReader(b.String()))
					for {
						_, err := d.Token()
						if err == io.EOF {
							break
						}
						if err != nil {
							t.Fatalf("junit output is not well-formed: %v\n%s", err, b.String())
						}
					}
				}
			}
		}
	})
}
