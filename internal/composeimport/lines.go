package composeimport

import (
	"fmt"

	"go.yaml.in/yaml/v4"
)

// keyLines maps every mapping key of a compose file, as a dotted path
// ("services.web.logging"), to its line. compose-go does not keep lines,
// so a second, plain YAML pass over the same bytes finds them. Keys inside
// sequences are not listed: their sequence's key stands for them.
func keyLines(src []byte) (map[string]int, []string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, nil, fmt.Errorf("read the compose file: %w", err)
	}
	out := map[string]int{}
	var order []string
	if len(doc.Content) == 0 {
		return out, order, nil
	}
	var walk func(n *yaml.Node, prefix string)
	walk = func(n *yaml.Node, prefix string) {
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		if n.Kind != yaml.MappingNode {
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
				order = append(order, p)
			}
			out[p] = k.Line
			walk(v, p)
		}
	}
	walk(doc.Content[0], "")
	return out, order, nil
}
