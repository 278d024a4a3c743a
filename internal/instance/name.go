package instance

// ValidName says whether name can name an instance: it prefixes the
// names of its Docker objects, so letters, digits, '_', '.' and '-',
// starting with a letter or digit.
func ValidName(name string) bool {
	if name == "" {
		return false
	}
	for i, r := range name {
		alnum := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		if !alnum && (i == 0 || r != '_' && r != '.' && r != '-') {
			return false
		}
	}
	return true
}
