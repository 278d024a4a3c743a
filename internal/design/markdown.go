package design

import (
	"fmt"
	"io"
	"strings"
)

// Markdown writes the design of d as GitHub-flavoured Markdown; the
// topology is a Mermaid block, which GitHub, GitLab and most editors draw.
func Markdown(w io.Writer, d *Document, secrets []string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: %s\n\n", mdText(d.Labels["design"]), mdText(d.Title))
	for _, c := range d.Cover {
		v := mdText(c.Value)
		if c.Code {
			v = mdCode(c.Value)
		}
		fmt.Fprintf(&b, "- **%s:** %s\n", mdText(c.Label), v)
	}
	fmt.Fprintf(&b, "\n## %s\n\n", mdText(d.Labels["toc"]))
	n2, n3 := 0, 0
	for _, s := range d.Sections {
		switch s.Level {
		case 2:
			n2, n3 = n2+1, 0
			fmt.Fprintf(&b, "%d. %s\n", n2, mdText(s.Title))
		case 3:
			n3++
			fmt.Fprintf(&b, "   %d. %s\n", n3, mdText(s.Title))
		}
	}
	for _, s := range d.Sections {
		fmt.Fprintf(&b, "\n%s %s\n", strings.Repeat("#", s.Level), mdText(s.Title))
		if s.Intro != "" {
			fmt.Fprintf(&b, "\n%s\n", mdText(s.Intro))
		}
		for _, p := range s.Paragraphs {
			fmt.Fprintf(&b, "\n%s\n", mdText(p))
		}
		if s.Mermaid != "" {
			fmt.Fprintf(&b, "\n```mermaid\n%s```\n", s.Mermaid)
		}
		switch {
		case s.Table != nil:
			b.WriteByte('\n')
			mdTable(&b, s.Table)
		case s.Empty != "":
			fmt.Fprintf(&b, "\n%s\n", mdText(s.Empty))
		}
		if s.Note != "" {
			fmt.Fprintf(&b, "\n%s\n", mdText(s.Note))
		}
	}
	if d.Footer != "" {
		fmt.Fprintf(&b, "\n---\n\n_%s_\n", mdText(d.Footer))
	}
	_, err := io.WriteString(w, redactIn(d.Lang, b.String(), secrets))
	return err
}

func mdTable(b *strings.Builder, t *Table) {
	b.WriteString("|")
	for _, h := range t.Head {
		fmt.Fprintf(b, " %s |", mdText(h))
	}
	b.WriteString("\n|")
	for range t.Head {
		b.WriteString(" --- |")
	}
	b.WriteString("\n")
	for _, row := range t.Rows {
		b.WriteString("|")
		for _, c := range row {
			items := make([]string, len(c.Items))
			for i, it := range c.Items {
				switch {
				case c.Warn:
					items[i] = "**" + mdText(it) + "**"
				case c.Code:
					items[i] = mdCode(it)
				default:
					items[i] = mdText(it)
				}
			}
			fmt.Fprintf(b, " %s |", strings.Join(items, ", "))
		}
		b.WriteString("\n")
	}
}

// mdText escapes what Markdown would otherwise read as markup, and the
// pipe that would end a table cell. Newlines become spaces: a table cell
// is one line.
var mdText = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"|", `\|`, "<", "&lt;", ">", "&gt;", "\r\n", " ", "\n", " ",
).Replace

// mdCode writes a code span. Inside it only the pipe needs escaping (GFM
// splits table cells before it reads code spans); a backtick in the value
// needs a longer fence.
func mdCode(s string) string {
	if s == "" {
		return ""
	}
	s = strings.NewReplacer("|", `\|`, "\r\n", " ", "\n", " ").Replace(s)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || fence != "`" {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}
