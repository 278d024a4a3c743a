// Package htmlwraptest checks, in headless Chromium, how an HTML document
// is laid out: whether a word of a table cell was split across lines,
// whether an id, status or number cell took more than one line, and
// whether a table is wider than the page. It asks the browser for the
// rendered boxes (Range.getClientRects), not the CSS.
package htmlwraptest

import (
	"context"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/proeftuin/proeftuin/internal/testenv"
)

// PageWidth is the CSS pixel width of an A4 page's printable area with
// the documents' margins (182 mm at 96 px per inch); the check lays the
// document out in a window this wide.
const PageWidth = 688

// script collects the problems into <pre id="layout-problems">, one a line.
const script = `<script>
(function () {
  var problems = [];
  function lines(rects) {
    var rs = Array.prototype.slice.call(rects).filter(function (r) { return r.width > 0 && r.height > 0; });
    rs.sort(function (a, b) { return a.top - b.top; });
    var n = 0, bottom = -1e9;
    rs.forEach(function (r) {
      if (r.top >= bottom - 1) { n++; bottom = r.bottom; } else { bottom = Math.max(bottom, r.bottom); }
    });
    return n;
  }
  function where(cell) {
    var row = cell.parentElement, table = row.closest("table");
    var sec = cell.closest("section");
    return (sec && sec.id ? "#" + sec.id + " " : "") + "table " + Array.prototype.indexOf.call(document.querySelectorAll("table"), table) +
      " row " + Array.prototype.indexOf.call(table.rows, row) + " col " + cell.cellIndex;
  }
  document.querySelectorAll("td, th").forEach(function (cell) {
    var nodes = [], text = "", walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    // Text nodes are joined with a space: a word is never split across
    // elements by these documents, and a <br> or block between two nodes
    // is a word boundary.
    for (var n = walk.nextNode(); n; n = walk.nextNode()) { nodes.push({ node: n, start: text.length }); text += n.data + " "; }
    function point(i) {
      for (var k = nodes.length - 1; k >= 0; k--) { if (nodes[k].start <= i) return [nodes[k].node, i - nodes[k].start]; }
    }
    var re = /\S+/g, m;
    while ((m = re.exec(text))) {
      var a = point(m.index), b = point(m.index + m[0].length - 1), r = document.createRange();
      r.setStart(a[0], a[1]); r.setEnd(b[0], b[1] + 1);
      if (lines(r.getClientRects()) > 1) problems.push("split word " + JSON.stringify(m[0]) + " in " + where(cell));
    }
    if (cell.matches(".id, .status, .num") && text.trim() !== "") {
      var all = document.createRange(); all.selectNodeContents(cell);
      if (lines(all.getClientRects()) > 1) problems.push("id/status/number on more than one line: " + JSON.stringify(text.trim()) + " in " + where(cell));
    }
  });
  document.querySelectorAll(".badge").forEach(function (b) {
    var r = document.createRange(); r.selectNodeContents(b);
    if (lines(r.getClientRects()) > 1) problems.push("badge on more than one line: " + JSON.stringify(b.textContent.trim()));
  });
  var page = document.documentElement.clientWidth;
  document.querySelectorAll("table").forEach(function (t, i) {
    var box = t.getBoundingClientRect();
    var sec = t.closest("section");
    if (box.right > page + 1) problems.push((sec && sec.id ? "#" + sec.id + " " : "") + "table " + i + (t.id ? " (#" + t.id + ")" : "") + " is " + Math.round(box.width) + "px wide and ends at " + Math.round(box.right) + "px, past the page (" + page + "px)");
  });
  var out = document.createElement("pre");
  out.id = "layout-problems";
  out.textContent = problems.join("\n");
  document.body.appendChild(out);
})();
</script>`

var problemsRE = regexp.MustCompile(`(?s)<pre id="layout-problems">(.*?)</pre>`)

// Problems lays out the HTML document at path in headless Chromium,
// PageWidth pixels wide, and returns every problem found. A test without
// Chromium fails in CI and is skipped elsewhere.
func Problems(t testing.TB, path string) []string {
	t.Helper()
	chromium := Chromium(t)
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	page := string(src)
	i := strings.LastIndex(page, "</body>")
	if i < 0 {
		t.Fatalf("%s has no </body>", path)
	}
	probe := filepath.Join(t.TempDir(), "layout.html")
	if err := os.WriteFile(probe, []byte(page[:i]+script+page[i:]), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := append(Args(t), fmt.Sprintf("--window-size=%d,1200", PageWidth), "--dump-dom", "file://"+probe)
	dom, err := exec.CommandContext(ctx, chromium, args...).Output()
	if err != nil {
		t.Fatalf("chromium --dump-dom: %v", err)
	}
	m := problemsRE.FindSubmatch(dom)
	if m == nil {
		t.Fatalf("the layout script did not run in chromium:\n%.500s", dom)
	}
	var out []string
	for _, l := range strings.Split(html.UnescapeString(string(m[1])), "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Chromium is the path of the chromium binary.
func Chromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	testenv.Unavailable(t, "chromium is not installed (apt-get install -y chromium)")
	return ""
}

// Args are the flags for a headless run with a fresh profile.
func Args(t testing.TB) []string {
	return []string{"--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=" + t.TempDir()}
}
