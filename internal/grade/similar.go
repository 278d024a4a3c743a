package grade

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/proeftuin/proeftuin/internal/config"
)

// planHash hashes the files that declare the plan and its steps as HCL
// tokens without comments and whitespace, so a copied plan with other
// comments or layout hashes the same. "" when the lab has no steps.
func planHash(env *config.Environment) string {
	if env == nil {
		return ""
	}
	names := map[string]bool{}
	if env.Plan != nil {
		names[env.Plan.DeclRange.Filename] = true
	}
	for _, s := range env.Steps {
		names[s.DeclRange.Filename] = true
	}
	if len(names) == 0 {
		return ""
	}
	h := sha256.New()
	for _, name := range slices.Sorted(maps.Keys(names)) {
		src, err := os.ReadFile(name)
		if err != nil {
			if f := fileOf(env, name); f != nil {
				src = f.Bytes
			}
		}
		toks, _ := hclsyntax.LexConfig(src, "", hcl.InitialPos)
		for _, t := range toks {
			if t.Type == hclsyntax.TokenComment || t.Type == hclsyntax.TokenNewline || t.Type == hclsyntax.TokenEOF {
				continue
			}
			h.Write(t.Bytes)
			h.Write([]byte{0})
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func fileOf(env *config.Environment, name string) *hcl.File {
	for n, f := range env.Files {
		if strings.HasSuffix(name, n) {
			return f
		}
	}
	return nil
}

// similarWords are the warnings of similar, per language.
var similarWords = map[string][2]string{
	"en": {"%s have equal definitions hashes", "%s have equal plans (comments and whitespace ignored)"},
	"nl": {"%s hebben dezelfde definities (gelijke hash)", "%s hebben hetzelfde plan (commentaar en witruimte niet meegeteld)"},
}

// similar warns, in lang (English when unknown), about submissions with
// equal definitions hashes or equal plans once comments and whitespace
// are removed.
func similar(results []*Result, lang string) []string {
	say, ok := similarWords[lang]
	if !ok {
		say = similarWords["en"]
	}
	var out []string
	group := func(what string, key func(*Result) string) {
		by := map[string][]string{}
		var keys []string
		for _, r := range results {
			k := key(r)
			if k == "" {
				continue
			}
			if by[k] == nil {
				keys = append(keys, k)
			}
			by[k] = append(by[k], r.Student)
		}
		for _, k := range keys {
			if len(by[k]) > 1 {
				out = append(out, fmt.Sprintf(what, strings.Join(by[k], ", ")))
			}
		}
	}
	group(say[0], func(r *Result) string { return r.DefinitionsHash })
	group(say[1], func(r *Result) string { return r.PlanHash })
	return out
}

// availableMemory is the memory available to new processes in bytes
// (Linux's MemAvailable); 0 where unknown.
func availableMemory() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemAvailable:" {
			kb, _ := strconv.ParseInt(fields[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}
