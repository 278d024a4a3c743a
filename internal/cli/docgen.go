package cli

import (
	"fmt"
	"io"
	"strings"

	ucli "github.com/urfave/cli/v2"
)

//go:generate go test -run ^TestCLIDocsCurrent$ -update-cli-docs .

// CLIDocsPath is where the command reference lives, relative to the
// repository root.
const CLIDocsPath = "docs/cli.md"

// CLIDocs renders the command reference (docs/cli.md) from the command
// definitions: every command and subcommand with its usage, description
// and flags with their defaults. `make docs` (go generate ./internal/cli)
// writes it; a test fails when the file is stale.
func CLIDocs() string {
	app := newApp(strings.NewReader(""), io.Discard, io.Discard)
	var b strings.Builder
	b.WriteString("# Command reference\n\n")
	b.WriteString("<!-- Generated from the command definitions in internal/cli by `make docs`\n")
	b.WriteString("     (go generate ./internal/cli). Do not edit by hand. -->\n\n")
	fmt.Fprintf(&b, "`%s` — %s.\n\n", app.Name, app.Usage)
	fmt.Fprintf(&b, "```text\n%s [global options] COMMAND [command options] [arguments]\n```\n\n", app.Name)
	b.WriteString("Run `proeftuin COMMAND --help` for the same text in the terminal.\n\n")

	b.WriteString("## Global options\n\n")
	b.WriteString("These may be given before or after the command name: `proeftuin --dir lab up` and `proeftuin up --dir lab` are the same.\n\n")
	writeFlags(&b, app.Flags)

	b.WriteString("## Exit codes\n\n")
	b.WriteString("| code | meaning |\n| --- | --- |\n")
	for _, e := range []struct {
		code    int
		meaning string
	}{
		{ExitOK, "success"},
		{ExitFailed, "a step or check failed (`fmt --check`: a file needs formatting)"},
		{ExitInvalid, "invalid input or usage: the HCL does not load, a flag is wrong, a bundle is refused"},
		{ExitEngine, "the engine or another runtime dependency failed"},
		{ExitInterrupted, "interrupted (Ctrl-C)"},
	} {
		fmt.Fprintf(&b, "| %d | %s |\n", e.code, e.meaning)
	}
	b.WriteString("\n")

	b.WriteString("## Commands\n\n")
	b.WriteString("| command | what it does |\n| --- | --- |\n")
	walkCommands(app.Commands, app.Name, func(path string, cmd *ucli.Command) {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s |\n", strings.TrimPrefix(path, app.Name+" "), anchor(path), escapeCell(cmd.Usage))
	})
	b.WriteString("\n")
	walkCommands(app.Commands, app.Name, func(path string, cmd *ucli.Command) {
		writeCommand(&b, path, cmd)
	})
	return b.String()
}

// walkCommands calls fn for every visible command, depth first, with its
// full name ("proeftuin bundle export").
func walkCommands(cmds []*ucli.Command, prefix string, fn func(path string, cmd *ucli.Command)) {
	for _, cmd := range cmds {
		if cmd.Hidden || cmd.Name == "help" {
			continue
		}
		path := prefix + " " + cmd.Name
		fn(path, cmd)
		walkCommands(cmd.Subcommands, path, fn)
	}
}

func writeCommand(b *strings.Builder, path string, cmd *ucli.Command) {
	fmt.Fprintf(b, "## %s\n\n", path)
	if cmd.Usage != "" {
		fmt.Fprintf(b, "%s.\n\n", strings.TrimSuffix(upperFirst(cmd.Usage), "."))
	}
	usage := path
	if len(cmd.Subcommands) > 0 {
		usage += " COMMAND"
	}
	if own := ownFlags(cmd.Flags); len(own) > 0 {
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
			fmt.Fprintf(b, "- [`%s`](#%s): %s\n", sub.Name, anchor(path+" "+sub.Name), sub.Usage)
		}
		b.WriteString("\n")
	}
	if own := ownFlags(cmd.Flags); len(own) > 0 {
		b.WriteString("Options:\n\n")
		writeFlags(b, own)
	}
}

// ownFlags leaves out the global flags newApp copies into every command.
func ownFlags(flags []ucli.Flag) []ucli.Flag {
	var out []ucli.Flag
	for _, f := range flags {
		if cf, ok := f.(ucli.CategorizableFlag); ok && cf.GetCategory() == globalCategory {
			continue
		}
		if vf, ok := f.(ucli.VisibleFlag); ok && !vf.IsVisible() {
			continue
		}
		out = append(out, f)
	}
	return out
}

func writeFlags(b *strings.Builder, flags []ucli.Flag) {
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
		fmt.Fprintf(b, "| %s | %s | %s |\n", strings.Join(names, ", "), flagDefault(df), escapeCell(usage))
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

func escapeCell(s string) string {
	return strings.ReplaceAll(escapeText(s), "|", `\|`)
}

// anchor is GitHub's heading anchor for "## proeftuin bundle export".
func anchor(heading string) string {
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
