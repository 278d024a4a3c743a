package graph

import (
	"fmt"
	"html"
	"strings"

	"github.com/proeftuin/proeftuin/internal/glossary"
)

// Layout of the SVG network diagram, in pixels.
const (
	svgMargin   = 16
	svgLabelW   = 150 // left column with the network names
	svgLineH    = 15
	svgCharW    = 7 // rough width of a character at font-size 12
	svgMinColW  = 150
	svgBusGap   = 48 // vertical distance between network buses
	svgBoxToBus = 40 // distance from the lowest box to the first bus
)

// SVG draws the topology the way a technical design usually shows it:
// every network is a horizontal bus (internal ones dashed), every service
// a box above the buses with a line down to the buses it is attached to;
// a dot marks an attachment, a line that crosses a bus without a dot is
// not attached. Volumes and dependencies are listed in the box. The
// result is a self-contained <svg> element (no scripts, no external
// fonts) that scales to the page width.
func SVG(g *Graph) string {
	var services, networks []*Node
	for _, n := range g.Nodes {
		switch n.Kind {
		case Service:
			services = append(services, n)
		case Network:
			networks = append(networks, n)
		}
	}
	name := map[string]string{}
	for _, n := range g.Nodes {
		name[n.ID] = n.Name
	}

	// Box contents and column widths.
	type column struct {
		node   *Node
		lines  []string
		x, w   int
		attach map[string]string // network id -> static address
	}
	cols := make([]*column, len(services))
	index := map[string]*column{}
	x := svgMargin + svgLabelW
	maxLines := 1
	for i, s := range services {
		c := &column{node: s, lines: append([]string{}, s.Lines...), attach: map[string]string{}}
		for _, e := range g.Edges {
			if e.From != s.ID {
				continue
			}
			switch e.Kind {
			case Attach:
				c.attach[e.To] = e.Label
			case Mount:
				c.lines = append(c.lines, glossary.T(g.lang(), "volume")+" "+name[e.To]+": "+e.Label)
			case DependsOn:
				c.lines = append(c.lines, glossary.T(g.lang(), "depends_on")+" "+name[e.To])
			}
		}
		w := svgMinColW
		for _, l := range append([]string{s.Name}, c.lines...) {
			w = max(w, len(l)*svgCharW+24)
		}
		c.x, c.w = x, w
		x += w
		cols[i] = c
		index[s.ID] = c
		maxLines = max(maxLines, 1+len(c.lines))
	}
	width := max(x+svgMargin, svgMargin*2+svgLabelW+svgMinColW)
	boxTop := svgMargin
	boxH := maxLines*svgLineH + 12
	busY := func(i int) int { return boxTop + boxH + svgBoxToBus + i*svgBusGap }
	height := busY(max(len(networks), 1)-1) + svgBusGap/2 + svgMargin
	if len(networks) == 0 {
		height = boxTop + boxH + svgMargin
	}

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" style="max-width:%dpx" role="img" aria-label="%s">`+"\n",
		width, height, width, esc("topology "+g.Name))
	b.WriteString(`<style>text{font-family:Helvetica,Arial,sans-serif;font-size:12px;fill:#1a1a1a}.name{font-weight:bold}.small{font-size:11px;fill:#444}</style>` + "\n")

	// Buses first, so service lines and dots are drawn on top of them.
	for i, n := range networks {
		y := busY(i)
		dash := ""
		stroke := "#2e7d32"
		if n.Internal {
			dash = ` stroke-dasharray="8 5"`
			stroke = "#b26a00"
		}
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="3"%s/>`+"\n",
			svgMargin, y, width-svgMargin, y, stroke, dash)
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="name">%s</text>`+"\n", svgMargin, y-6, esc(n.Name))
		if len(n.Lines) > 0 {
			fmt.Fprintf(&b, `<text x="%d" y="%d" class="small">%s</text>`+"\n", svgMargin, y+16, esc(strings.Join(n.Lines, ", ")))
		}
	}

	for _, c := range cols {
		cx := c.x + c.w/2
		// The line down to the lowest attached bus.
		lowest := -1
		for i, n := range networks {
			if _, ok := c.attach[n.ID]; ok {
				lowest = i
			}
		}
		if lowest >= 0 {
			fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#555" stroke-width="1.5"/>`+"\n",
				cx, boxTop+boxH, cx, busY(lowest))
		}
		for i, n := range networks {
			addr, ok := c.attach[n.ID]
			if !ok {
				continue
			}
			fmt.Fprintf(&b, `<circle cx="%d" cy="%d" r="4.5" fill="#555"/>`+"\n", cx, busY(i))
			if addr != "" {
				fmt.Fprintf(&b, `<text x="%d" y="%d" class="small">%s</text>`+"\n", cx+7, busY(i)-6, esc(addr))
			}
		}
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" rx="6" fill="#e8f1fb" stroke="#1f5f99"/>`+"\n",
			c.x+6, boxTop, c.w-12, boxH)
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="name">%s</text>`+"\n", c.x+14, boxTop+svgLineH+2, esc(c.node.Name))
		for j, l := range c.lines {
			fmt.Fprintf(&b, `<text x="%d" y="%d" class="small">%s</text>`+"\n", c.x+14, boxTop+svgLineH*(j+2)+2, esc(l))
		}
	}
	b.WriteString("</svg>\n")
	return b.String()
}

func esc(s string) string { return html.EscapeString(s) }

func (g *Graph) lang() string {
	if g.Lang == "" {
		return "en"
	}
	return g.Lang
}
