package labs

import (
	"embed"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// starter is the small lab `proeftuin init DIR` writes.
//
//go:embed starter
var starter embed.FS

// Starter writes a small, commented lab into dest (a new or empty
// folder). The environment is named after the folder. It validates, and
// it is sound: its check fails before its plan and passes after it.
func Starter(dest string) error {
	if err := ensureEmpty(dest); err != nil {
		return err
	}
	name := EnvName(filepath.Base(mustAbs(dest)))
	return fs.WalkDir(starter, "starter", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(p, "starter"), "/")
		target := filepath.Join(dest, filepath.FromSlash(strings.TrimSuffix(rel, ".tmpl")))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := starter.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.HasSuffix(p, ".tmpl") {
			data = []byte(strings.ReplaceAll(string(data), "@NAME@", name))
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// EnvName turns a folder name into a valid environment name: lower case,
// ASCII letters, digits and '-', starting with a letter or digit;
// "mijn-lab" when nothing is left.
func EnvName(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.TrimRight(b.String(), "-")
	if len(out) > 40 {
		out = strings.TrimRight(out[:40], "-")
	}
	if out == "" {
		return "mijn-lab"
	}
	return out
}

func mustAbs(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
