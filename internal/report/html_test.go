package report

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// htmlDoc is what the HTML tests need from a page: the text of every
// element with an id, and the attributes of every table row.
type htmlDoc struct {
	byID map[string]string
	rows []map[string]string
	tags map[string]int
}

// parseHTML reads the page with encoding/xml in its lenient HTML mode
// (void elements closed automatically, HTML entities known). Any
// structural breakage, such as an unescaped '<' from the document, shows
// up as an error or a wrong text.
func parseHTML(t *testing.T, page string) htmlDoc {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(page))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	doc := htmlDoc{byID: map[string]string{}, tags: map[string]int{}}
	type open struct {
		id   string
		text strings.Builder
	}
	var stack []*open
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("page does not parse: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			doc.tags[tok.Name.Local]++
			o := &open{}
			attrs := map[string]string{}
			for _, a := range tok.Attr {
				attrs[a.Name.Local] = a.Value
				if a.Name.Local == "id" {
					o.id = a.Value
				}
			}
			if tok.Name.Local == "tr" {
				doc.rows = append(doc.rows, attrs)
			}
			stack = append(stack, o)
		case xml.EndElement:
			if len(stack) == 0 {
				t.Fatalf("unbalanced </%s>", tok.Name.Local)
			}
			o := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if o.id != "" {
				if _, dup := doc.byID[o.id]; dup {
					t.Errorf("duplicate id %q", o.id)
				}
				doc.byID[o.id] = strings.TrimSpace(o.text.String())
			}
			if len(stack) > 0 {
				stack[len(stack)-1].text.WriteString(o.text.String())
			}
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(tok)
			}
		}
	}
	return doc
}

func TestHTMLSummaryAndMatrix(t *testing.T) {
	r := sampleResult()
	for _, lang := range []string{"nl", "en"} {
		doc := parseHTML(t, render(t, r, "html", lang))
		want := map[string]string{
			"summary-steps-passed":          "3",
			"summary-steps-failed":          "1",
			"summary-steps-total":           "7",
			"summary-checks-passed":         "3",
			"summary-checks-failed":         "3",
			"summary-requirements-verified": "2",
			"summary-requirements-total":    "7",
		}
		for id, v := range want {
			if got, ok := doc.byID[id]; !ok || got != v {
				t.Errorf("%s: #%s = %q (present %v), want %q", lang, id, got, ok, v)
			}
		}
		verdicts := map[string]string{}
		var order []string
		for _, row := range doc.rows {
			if id, ok := row["data-requirement"]; ok {
				verdicts[id] = row["data-verdict"]
				order = append(order, id)
			}
		}
		if got := strings.Join(order, ","); got != "FR-01,FR-02,FR-03,FR-04,FR-05,SEC-01,NFR-01" {
			t.Errorf("%s: matrix rows = %s", lang, got)
		}
		for _, row := range r.Matrix {
			if verdicts[row.ID] != row.Verdict {
				t.Errorf("%s: %s data-verdict = %q, want %q", lang, row.ID, verdicts[row.ID], row.Verdict)
			}
		}
		if _, ok := doc.byID["requirements"]; !ok {
			t.Errorf("%s: no table with id=requirements", lang)
		}
		if doc.tags["script"] != 0 || doc.tags["link"] != 0 || doc.tags["img"] != 0 {
			t.Errorf("%s: page has script/link/img elements: %v", lang, doc.tags)
		}
	}
}

func TestHTMLIsSelfContainedAndEscaped(t *testing.T) {
	page := render(t, sampleResult(), "html", "nl")
	if strings.Contains(page, "<script") {
		t.Errorf("a <script> from the output reached the page unescaped")
	}
	if !strings.Contains(page, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; done") {
		t.Errorf("output with HTML is not shown escaped")
	}
	for _, bad := range []string{"src=", "href=", "@import", "url(", "@font-face"} {
		if strings.Contains(page, bad) {
			t.Errorf("page refers to an external asset (%s)", bad)
		}
	}
	for _, want := range []string{"@page { size: A4", "break-inside: avoid", "thead { display: table-header-group; }", `<html lang="nl">`, "<h3>Reflectie</h3>", "✘ Mislukt", "Tijd per stap"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// Status badges carry their text, not only a colour.
	if !strings.Contains(page, `<span class="badge s-rolled_back">↺ Teruggedraaid</span>`) {
		t.Errorf("rolled-back badge without its text")
	}
	if en := render(t, sampleResult(), "html", "en"); !strings.Contains(en, "<h3>Reflection</h3>") || !strings.Contains(en, `<html lang="en">`) {
		t.Errorf("english page lacks its headings")
	}
}

func TestHTMLHostileValues(t *testing.T) {
	r := sampleResult()
	r.Matrix[0].ID = `FR"><script>x</script>`
	r.Steps[1].ID = `a' onmouseover='x`
	r.Status = `"><b>`
	r.Notes = "</div><script>alert(1)</script>"
	page := render(t, r, "html", "en")
	if strings.Contains(page, "<script") || strings.Contains(page, "<b>") {
		t.Errorf("hostile values reached the page unescaped")
	}
	doc := parseHTML(t, page)
	found := false
	for _, row := range doc.rows {
		if row["data-requirement"] == `FR"><script>x</script>` {
			found = true
		}
	}
	if !found {
		t.Errorf("escaped requirement id does not round-trip through the attribute")
	}
}
