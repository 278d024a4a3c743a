package config

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// docScaffold declares what the snippets of docs/*.md refer to without
// declaring it themselves. A block is added only when the snippet does
// not declare one of the same type and name.
var docScaffold = []struct{ header, body string }{
	{`environment "doc"`, `title = "docs"`},
	{`variable "db_password"`, "type = string\ndefault = \"oefenen\"\nsensitive = true"},
	{`variable "web_port"`, "type = number\ndefault = 8080"},
	{`network "backend"`, `subnet = "auto"`},
	{`network "frontend"`, ``},
	{`network "lab"`, ``},
	{`volume "dbdata"`, ``},
	{`service "db"`, "image = \"proeftuin/busybox:1\"\nnetwork \"backend\" {}"},
	{`service "web"`, "image = \"proeftuin/busybox:1\"\nnetwork \"frontend\" {}"},
	{`service "client"`, "image = \"proeftuin/busybox:1\"\nnetwork \"frontend\" {}"},
	{`requirement "FR-01"`, "title = \"one\"\npriority = \"should\""},
	{`requirement "FR-02"`, "title = \"two\"\npriority = \"should\""},
	{`requirement "SEC-01"`, "title = \"three\"\npriority = \"should\""},
}

var (
	snippetStart = regexp.MustCompile("(?m)^```hcl[ \t]*$")
	blockHeader  = regexp.MustCompile(`(?m)^(\w+)(?:\s+"([^"]*)")?\s*\{`)
	contextPath  = regexp.MustCompile(`context\s*=\s*"([^"$]+)"`)
)

// TestDocSnippetsValidate loads every ```hcl block of docs/*.md, with what
// it refers to declared around it, and fails on any error: the docs must
// not teach what validate refuses.
func TestDocSnippetsValidate(t *testing.T) {
	docs, err := filepath.Glob("../../docs/*.md")
	if err != nil || len(docs) == 0 {
		t.Fatalf("no docs: %v", err)
	}
	count := 0
	for _, doc := range docs {
		src, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		text := string(src)
		for _, loc := range snippetStart.FindAllStringIndex(text, -1) {
			rest := text[loc[1]:]
			end := strings.Index(rest, "\n```")
			if end < 0 {
				t.Fatalf("%s: unterminated hcl block", doc)
			}
			snippet := rest[:end]
			line := strings.Count(text[:loc[0]], "\n") + 1
			count++
			name := filepath.Base(doc) + ":" + strconv.Itoa(line)
			t.Run(name, func(t *testing.T) {
				dir := t.TempDir()
				if strings.HasPrefix(strings.TrimSpace(snippet), "rubric ") {
					// A grading file, not a lab.
					p := filepath.Join(dir, "grading.hcl")
					if err := os.WriteFile(p, []byte(snippet), 0o644); err != nil {
						t.Fatal(err)
					}
					if _, diags := LoadRubric(p); diags.HasErrors() {
						t.Errorf("the rubric at %s does not load:\n%s\n%s", name, snippet, diagList(diags))
					}
					return
				}
				declared := map[string]bool{}
				for _, m := range blockHeader.FindAllStringSubmatch(snippet, -1) {
					declared[m[1]+" "+m[2]] = true
					declared[m[1]] = true
				}
				var scaffold strings.Builder
				for _, s := range docScaffold {
					m := blockHeader.FindStringSubmatch(s.header + " {")
					if declared[m[1]+" "+m[2]] || m[1] == "environment" && declared[m[1]] {
						continue
					}
					scaffold.WriteString(s.header + " {\n" + s.body + "\n}\n")
				}
				for _, m := range contextPath.FindAllStringSubmatch(snippet, -1) {
					ctx := filepath.Join(dir, filepath.FromSlash(m[1]))
					if err := os.MkdirAll(ctx, 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(filepath.Join(ctx, "Dockerfile"), []byte("FROM scratch\n"), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				if err := os.WriteFile(filepath.Join(dir, "scaffold.hcl"), []byte(scaffold.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "snippet.hcl"), []byte(snippet), 0o644); err != nil {
					t.Fatal(err)
				}
				if _, diags := Load(Options{Dir: dir}); diags.HasErrors() {
					t.Errorf("the snippet at %s does not validate:\n%s\n%s", name, snippet, diagList(diags))
				}
			})
		}
	}
	if count < 7 {
		t.Errorf("found %d hcl snippets in docs/*.md, want at least 7", count)
	}
}
