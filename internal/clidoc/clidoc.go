// Package clidoc renders a urfave/cli application's commands as a
// Markdown reference (docs/cli.md): usage, description with its examples
// as code blocks, and a table of flags with their defaults.
package clidoc

import (
	"fmt"
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// GlobalCategory is the category of the flags accepted by every command;
// OwnFlags leaves them out of each command's table.
const GlobalCategory = "Global"

// Walk calls fn for every visible command, depth first, with its
// full name ("proeftuin bundle export").
func Walk(cmds []*ucli.Command, prefix string, fn func(path string, cmd *ucli.Command)) {
	for _, cmd := range cmds {
		if cmd.Hidden || cmd.Name == "help" {
			continue
		}
		path := prefix + " " + cmd.Name
		fn(path, cmd)
		Walk(cmd.Subcommands, path, fn)
	}
}

// WriteCommand writes the section of one command, named by its full path
// ("proeftuin bundle export").
func WriteCommand(b *strings.Builder, path string, cmd *ucli.Command) {
	fmt.Fprintf(b, "## %s\n\n", path)
	if cmd.Usage != "" {
		fmt.Fprintf(b, "%s.\n\n", strings.TrimSuffix(upperFirst(cmd.Usage), "."))
	}
	usage := path
	if len(cmd.Subcommands) > 0 {
		usage += " COMMAND"
	}
	if own := OwnFlags(cmd.Flags); len(own) > 0 {
		usage += " [options]"
	}
	if args := strings.TrimSpace(cmd.ArgsUsage); args != "" {
		usage += " " + args
	}
	fmt.Fprintf(b, "```text\n%s\n```\n\n", usage)
	if len(cmd.Aliases) > 0 {
		fmt.Fprintf(b, "Aliases: `%s`.\n\n", strings.Join(cmd.Aliases, "`, `"))
	}
	if cmd.Description != "" {
		b.WriteString(descriptionMarkdown(cmd.Description))
	}
	if len(cmd.Subcommands) > 0 {
		b.WriteString("Commands:\n\n")
		for _, sub := range cmd.Subcommands {
			if sub.Hidden || sub.Name == "help" {
				continue
			}
			fmt.Fprintf(b, "- [`%s`](#%s): %s\n", sub.Name, Anchor(path+" "+sub.Name), sub.Usage)
		}
		b.WriteString("\n")
	}
	if own := OwnFlags(cmd.Flags); len(own) > 0 {
		b.WriteString("Options:\n\n")
		WriteFlags(b, own)
	}
}

// OwnFlags leaves out the global flags (those of GlobalCategory) that the
// app copies into every command, and hidden ones.
func OwnFlags(flags []ucli.Flag) []ucli.Flag {
	var out []ucli.Flag
	for _, f := range flags {
		if cf, ok := f.(ucli.CategorizableFlag); ok && cf.GetCategory() == GlobalCategory {
			continue
		}
		if vf, ok := f.(ucli.VisibleFlag); ok && !vf.IsVisible() {
			continue
		}
		out = append(out, f)
	}
	return out
}

// WriteFlags writes a table of flags with their defaults.
func WriteFlags(b *strings.Builder, flags []ucli.Flag) {
	b.WriteString("| flag | default | description |\n| --- | --- | --- |\n")
	for _, f := range flags {
		if vf, ok := f.(ucli.VisibleFlag); ok && !vf.IsVisible() {
			continue
		}
		df, ok := f.(ucli.DocGenerationFlag)
		if !ok {
			continue
		}
		placeholder, usage := unquote(df.GetUsage())
		if placeholder == "" && df.TakesValue() {
			placeholder = placeholderFor(f)
		}
		var names []string
		for _, n := range f.Names() {
			dash := "--"
			if len(n) == 1 {
				dash = "-"
			}
			name := dash + n
			if df.TakesValue() {
				name += " " + placeholder
			}
			names = append(names, "`"+name+"`")
		}
		if sf, ok := f.(ucli.DocGenerationSliceFlag); ok && sf.IsSliceFlag() {
			usage += " (repeatable)"
			usage = strings.Replace(usage, " (repeatable) (repeatable)", " (repeatable)", 1)
		}
		if env := df.GetEnvVars(); len(env) > 0 {
			usage += fmt.Sprintf(" [env: %s]", strings.Join(env, ", "))
		}
		fmt.Fprintf(b, "| %s | %s | %s |\n", strings.Join(names, ", "), flagDefault(df), EscapeCell(usage))
	}
	b.WriteString("\n")
}

// placeholderFor names the value of a flag whose usage names none.
func placeholderFor(f ucli.Flag) string {
	switch f.(type) {
	case *ucli.DurationFlag:
		return "DURATION"
	case *ucli.IntFlag, *ucli.Int64Flag, *ucli.UintFlag, *ucli.Uint64Flag:
		return "N"
	}
	return "VALUE"
}

// flagDefault is the default shown in the table, "" when there is none.
func flagDefault(f ucli.DocGenerationFlag) string {
	v := f.GetDefaultText()
	if v == "" {
		v = f.GetValue()
	}
	switch v {
	case "", "false", "0", "0s", "[]", `""`:
		return ""
	}
	return "`" + strings.Trim(v, `"`) + "`"
}

// unquote splits urfave/cli's usage with a `PLACEHOLDER` into the
// placeholder and the usage without backquotes.
func unquote(usage string) (string, string) {
	start := strings.IndexByte(usage, '`')
	if start < 0 {
		return "", usage
	}
	end := strings.IndexByte(usage[start+1:], '`')
	if end < 0 {
		return "", usage
	}
	name := usage[start+1 : start+1+end]
	return name, usage[:start] + name + usage[start+end+2:]
}

// descriptionMarkdown turns a command's description into Markdown:
// paragraphs stay text, an indented block starting with "- " becomes a
// list, and other indented blocks (the examples) become code blocks.
func descriptionMarkdown(desc string) string {
	var b strings.Builder
	lines := strings.Split(strings.TrimRight(desc, "\n"), "\n")
	for i := 0; i < len(lines); {
		if !indented(lines[i]) {
			if strings.TrimSpace(lines[i]) == "" {
				if i > 0 && strings.TrimSpace(lines[i-1]) != "" && !indented(lines[i-1]) {
					b.WriteString("\n")
				}
			} else {
				b.WriteString(escapeText(lines[i]) + "\n")
			}
			i++
			continue
		}
		j := i
		for j < len(lines) && indented(lines[j]) {
			j++
		}
		block := lines[i:j]
		if first := strings.TrimSpace(block[0]); strings.HasPrefix(first, "- ") || strings.HasPrefix(first, "* ") {
			b.WriteString("\n")
			for _, l := range block {
				t := strings.TrimSpace(l)
				if strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") {
					b.WriteString("- " + escapeText(t[2:]) + "\n")
				} else {
					b.WriteString("  " + escapeText(t) + "\n")
				}
			}
		} else {
			b.WriteString("```sh\n")
			for _, l := range block {
				b.WriteString(strings.TrimSpace(l) + "\n")
			}
			b.WriteString("```\n")
		}
		b.WriteString("\n")
		i = j
		for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
			i++
		}
	}
	b.WriteString("\n")
	return strings.ReplaceAll(b.String(), "\n\n\n", "\n\n")
}

func indented(line string) bool {
	return strings.HasPrefix(line, "  ") || strings.HasPrefix(line, "\t")
}

// escapeText keeps Markdown from reading <run-id> as HTML or * as emphasis.
func escapeText(s string) string {
	return strings.NewReplacer("<", `\<`, ">", `\>`, "*", `\*`, "_", `\_`).Replace(s)
}

// EscapeCell escapes text for a table cell.
func EscapeCell(s string) string {
	return strings.ReplaceAll(escapeText(s), "|", `\|`)
}

// anchor is GitHub's heading anchor for "## proeftuin bundle export".
// Anchor is the Markdown anchor of a heading.
func Anchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
