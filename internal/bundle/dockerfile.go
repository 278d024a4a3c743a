package bundle

import (
	"bufio"
	"io"
	"strings"
)

// BaseImages lists the images a Dockerfile builds on: its FROM images and
// the images named by COPY --from, with build args (args, then the
// defaults of ARG lines before the first FROM) substituted. Stage names
// and "scratch" are left out. References still holding a variable after
// substitution are returned in unresolved.
func BaseImages(dockerfile io.Reader, args map[string]string) (refs, unresolved []string, err error) {
	lines, err := logicalLines(dockerfile)
	if err != nil {
		return nil, nil, err
	}
	vars := map[string]string{}
	stages := map[string]bool{}
	seen := map[string]bool{}
	add := func(ref string) {
		if ref == "" || strings.EqualFold(ref, "scratch") || stages[strings.ToLower(ref)] || seen[ref] {
			return
		}
		seen[ref] = true
		if strings.Contains(ref, "$") {
			unresolved = append(unresolved, ref)
			return
		}
		refs = append(refs, ref)
	}
	fromSeen := false
	for _, line := range lines {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		switch strings.ToUpper(fields[0]) {
		case "ARG":
			if fromSeen {
				continue // stage-local args do not reach FROM
			}
			for _, decl := range fields[1:] {
				name, def, hasDef := strings.Cut(decl, "=")
				if v, ok := args[name]; ok {
					vars[name] = v
				} else if hasDef {
					vars[name] = strings.Trim(def, `"'`)
				}
			}
		case "FROM":
			fromSeen = true
			rest := skipFlags(fields[1:])
			if len(rest) == 0 {
				continue
			}
			add(expand(rest[0], vars))
			if len(rest) >= 3 && strings.EqualFold(rest[1], "AS") {
				stages[strings.ToLower(rest[2])] = true
			}
		case "COPY":
			for _, f := range fields[1:] {
				if from, ok := strings.CutPrefix(f, "--from="); ok {
					from = expand(from, vars)
					if strings.Trim(from, "0123456789") != "" { // not a stage index
						add(from)
					}
				}
			}
		}
	}
	return refs, unresolved, nil
}

// logicalLines joins continued lines and drops comments.
func logicalLines(r io.Reader) ([]string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	var out []string
	var cur strings.Builder
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasSuffix(line, `\`) {
			cur.WriteString(strings.TrimSuffix(line, `\`))
			cur.WriteByte(' ')
			continue
		}
		cur.WriteString(line)
		out = append(out, cur.String())
		cur.Reset()
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out, sc.Err()
}

func skipFlags(fields []string) []string {
	for len(fields) > 0 && strings.HasPrefix(fields[0], "--") {
		fields = fields[1:]
	}
	return fields
}

// expand substitutes $NAME, ${NAME}, ${NAME:-default} and ${NAME-default};
// unknown variables stay as they are.
func expand(s string, vars map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		if s[i+1] == '{' {
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				b.WriteString(s[i:])
				break
			}
			inner := s[i+2 : i+end]
			name, def, hasDef := inner, "", false
			if n, d, ok := strings.Cut(inner, ":-"); ok {
				name, def, hasDef = n, d, true
			} else if n, d, ok := strings.Cut(inner, "-"); ok {
				name, def, hasDef = n, d, true
			}
			if v, ok := vars[name]; ok && (v != "" || !hasDef) {
				b.WriteString(v)
			} else if hasDef {
				b.WriteString(def)
			} else {
				b.WriteString(s[i : i+end+1])
			}
			i += end
			continue
		}
		j := i + 1
		for j < len(s) && (s[j] == '_' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
			j++
		}
		if v, ok := vars[s[i+1:j]]; ok && j > i+1 {
			b.WriteString(v)
		} else {
			b.WriteString(s[i:j])
		}
		i = j - 1
	}
	return b.String()
}
