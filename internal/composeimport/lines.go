package composeimport

import (
	"fmt"
	"regexp"

	"go.yaml.in/yaml/v4"
)

// keyLines maps every mapping key of a compose file, as a dotted path
// ("services.web.logging"), to its line. compose-go does not keep lines,
// so a second, plain YAML pass over the same bytes finds them. Keys inside
// sequences are not listed: their sequence's key stands for them.
func keyLines(src []byte) (*scan, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("read the compose file: %w", err)
	}
	out := map[string]int{}
	sc := &scan{lines: out}
	if len(doc.Content) == 0 {
		return sc, nil
	}
	var walk func(n *yaml.Node, prefix string)
	walk = func(n *yaml.Node, prefix string) {
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		switch n.Kind {
		case yaml.ScalarNode:
			sc.variables(n, prefix)
			return
		case yaml.SequenceNode:
			for _, e := range n.Content {
				walk(e, prefix)
			}
			return
		case yaml.MappingNode:
		default:
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "<<" { // a merge key: its mapping's keys count here
				walk(v, prefix)
				continue
			}
			p := k.Value
			if prefix != "" {
				p = prefix + "." + k.Value
			}
			if _, seen := out[p]; !seen {
				sc.order = append(sc.order, p)
			}
			out[p] = k.Line
			walk(v, p)
		}
	}
	walk(doc.Content[0], "")
	return sc, nil
}

// scan is what the YAML pass found: the line of every key, the keys in
// file order, and the variables compose would interpolate.
type scan struct {
	lines map[string]int
	order []string
	vars  []varUse
}

// varUse is a ${NAME} or $NAME in a value, without a default.
type varUse struct {
	path, name string
	line       int
}

// variable finds $NAME and ${NAME} ($$ is a literal dollar; ${NAME:-x},
// ${NAME-x} and ${NAME:?x} carry their own default or message).
var variable = regexp.MustCompile(`\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?|\$([A-Za-z_][A-Za-z0-9_]*)`)

func (sc *scan) variables(n *yaml.Node, path string) {
	for _, m := range variable.FindAllStringSubmatch(n.Value, -1) {
		name := m[1] + m[3]
		if m[0] == "$$" || name == "" || m[2] == "-" || m[2] == ":-" {
			continue
		}
		sc.vars = append(sc.vars, varUse{path: path, name: name, line: n.Line})
	}
}
