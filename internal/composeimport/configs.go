package composeimport

import (
	"fmt"
	"path"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// configs writes a service's compose configs as file blocks: the config's
// file (source) or inline content, at its target (default /<name>), with
// its mode and owner.
func (c *converter) configs(b *hclwrite.Body, s types.ServiceConfig, key string) {
	for _, ref := range s.Configs {
		cfg, ok := c.p.Configs[ref.Source]
		if !ok {
			continue
		}
		target := ref.Target
		if target == "" {
			target = "/" + ref.Source
		}
		if !strings.HasPrefix(target, "/") {
			target = path.Join("/", target)
		}
		fb := b.AppendNewBlock("file", []string{target}).Body()
		switch {
		case cfg.File != "":
			fb.SetAttributeValue("source", str(c.rel(cfg.File, "configs."+ref.Source+".file")))
		case cfg.Content != "":
			fb.SetAttributeValue("content", str(cfg.Content))
		default:
			fb.SetAttributeValue("content", str(""))
			c.note("configs."+ref.Source, "only configs from a file or with content are carried; this one is empty")
		}
		if ref.Mode != nil {
			fb.SetAttributeValue("mode", str(fmt.Sprintf("0%o", int64(*ref.Mode))))
		}
		if ref.UID != "" || ref.GID != "" {
			fb.SetAttributeValue("owner", str(orZero(ref.UID)+":"+orZero(ref.GID)))
		}
	}
}
