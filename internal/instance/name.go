package instance

import "github.com/proeftuin/proeftuin/internal/config"

// ValidName says whether name can name an instance: it prefixes the
// names of its Docker objects, so letters, digits, '_', '.' and '-',
// starting with a letter or digit.
func ValidName(name string) bool {
	return config.PlainName(name)
}
