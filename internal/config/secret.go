package config

import (
	"path"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// SecretDir is where a service finds its secrets, one file per secret.
const SecretDir = "/run/secrets"

// Secret is a value given to the services that name it, as the file
// /run/secrets/<name>: never in their environment, the engine's inspect
// output, the plan, the state or a report.
type Secret struct {
	Name      string
	Value     []byte // from source, or the bytes of file
	Mode      uint32 // default 0400
	Owner     string // default "0:0"
	DeclRange hcl.Range
}

var secretSchema = &hcl.BodySchema{Attributes: attrs("source", "file", "mode", "owner")}

func (l *loader) decodeSecretBlock(b *hcl.Block) *Secret {
	content, diags := b.Body.Content(secretSchema)
	l.diags = append(l.diags, diags...)
	a := content.Attributes
	s := &Secret{Name: b.Labels[0], DeclRange: b.DefRange}
	s.Mode = l.mode(a["mode"], 0o400)
	s.Owner = l.str(a["owner"], "0:0")
	switch {
	case a["source"] != nil && a["file"] != nil:
		l.diags = append(l.diags, errorAt(a["file"].Expr.Range().Ptr(), "Both source and file",
			"Secret %q takes its value from source (like var.db_password) or from file, not both; remove one.", s.Name))
	case a["source"] != nil:
		s.Value = []byte(l.str(a["source"], ""))
		if attr := a["source"]; attr != nil && !l.refersToSensitive(attr) {
			l.diags = append(l.diags, warningAt(attr.Expr.Range().Ptr(), "Secret from a value that is not sensitive",
				"The value of secret %q is written in the lab or comes from a variable without sensitive = true; declare that variable sensitive, so it is hidden in every output too.", s.Name))
		}
	case a["file"] != nil:
		src := l.str(a["file"], "")
		if src == "" || src == knownAfterUp {
			break
		}
		data, err := l.readFile(src)
		if err != nil {
			l.diags = append(l.diags, errorAt(a["file"].Expr.Range().Ptr(), "Invalid secret file",
				"The file of secret %q cannot be used: %s.", s.Name, err))
			break
		}
		s.Value = data
	default:
		l.diags = append(l.diags, errorAt(rangePtr(b.DefRange), "Missing secret value",
			"Secret %q needs source = var.<name> (a sensitive variable) or file = \"path in the environment folder\".", s.Name))
	}
	l.env.Secrets = append(l.env.Secrets, redactForms(string(s.Value))...)
	return s
}

// redactForms are the strings to hide for a secret value: the value and,
// when a file ends in a newline, the value without it (how it shows in
// output that trims lines).
func redactForms(v string) []string {
	var out []string
	if v != "" {
		out = append(out, v)
	}
	if t := strings.TrimSpace(v); t != "" && t != v {
		out = append(out, t)
	}
	return out
}

// refersToSensitive reports whether attr's value is marked sensitive
// (it derives from a sensitive variable).
func (l *loader) refersToSensitive(attr *hcl.Attribute) bool {
	v, ok := l.eval(attr.Expr)
	if !ok {
		return true // the evaluation error is reported already
	}
	_, marks := v.UnmarkDeep()
	return hasSensitive(marks)
}

// serviceSecrets reads a service's secrets list (secret.<name> or the name
// in quotes) and places each as a file at /run/secrets/<name>.
func (l *loader) serviceSecrets(s *Service, attr *hcl.Attribute) []string {
	names, _ := l.refs(attr, "secret")
	for _, name := range names {
		sec := l.env.Secret(name)
		if sec == nil {
			continue
		}
		s.Files = append(s.Files, &File{
			Path: path.Join(SecretDir, name), Content: sec.Value, Mode: sec.Mode, Owner: sec.Owner,
			DeclRange: attr.Range,
		})
	}
	return names
}

// Secret returns the secret block named name, or nil.
func (env *Environment) Secret(name string) *Secret {
	for _, s := range env.SecretBlocks {
		if s.Name == name {
			return s
		}
	}
	return nil
}
