package cmdline

import (
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// Shell completion. Script(SHELL) is a small script that asks the hidden
// `PROG __complete =CUR WORD...` for the candidates of the word being
// typed (CUR, after "=" so it is never an empty argument, which
// PowerShell 5.1 drops) given the words before it. The candidates come
// from the command tree itself (commands, each command's flags) and from
// the caller's Candidates for flag values and arguments.

// Shells are the shells Script has a script for.
var Shells = []string{"bash", "fish", "powershell", "zsh"}

// Script is the completion script for shell, "" for a shell it does not
// know.
func Script(shell string) string { return scripts[shell] }

var scripts = map[string]string{
	"bash": `# proeftuin completion for bash: source <(proeftuin completion bash)
_proeftuin() {
  local cur="${COMP_WORDS[COMP_CWORD]}"
  local IFS=$'\n'
  COMPREPLY=($(proeftuin __complete "=$cur" "${COMP_WORDS[@]:1:COMP_CWORD-1}" 2>/dev/null))
  [ ${#COMPREPLY[@]} -eq 0 ] && COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _proeftuin proeftuin
`,
	"zsh": `#compdef proeftuin
# proeftuin completion for zsh: source <(proeftuin completion zsh)
_proeftuin() {
  local -a c
  c=(${(f)"$(proeftuin __complete "=${words[CURRENT]}" "${(@)words[2,CURRENT-1]}" 2>/dev/null)"})
  if (( ${#c} )); then compadd -a c; else _files; fi
}
compdef _proeftuin proeftuin
`,
	"fish": `# proeftuin completion for fish: proeftuin completion fish | source
complete -c proeftuin -f -a '(proeftuin __complete "="(commandline -ct) (commandline -opc)[2..-1] 2>/dev/null)'
`,
	"powershell": `# proeftuin completion for PowerShell: proeftuin completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName proeftuin, proeftuin.exe -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })
  if ($wordToComplete -ne '' -and $words.Count -gt 0) { $words = @($words | Select-Object -SkipLast 1) }
  & proeftuin __complete "=$wordToComplete" @words 2>$null | ForEach-Object {
    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
  }
}
`,
}

// Values are proeftuin's candidates: the labs of catalogue (init --from,
// lab verify), the instances (--name) and the fixed values of a few
// flags.
func Values(catalogue, instances func() []string) Candidates {
	fixed := func(values ...string) func() []string { return func() []string { return values } }
	return Candidates{
		FlagValues: map[string]func() []string{
			"from":   catalogue,
			"name":   instances,
			"pull":   fixed("missing", "always", "never"),
			"output": fixed("text", "json"),
			"o":      fixed("text", "json"),
			"lang":   fixed("en", "nl"),
			"l":      fixed("en", "nl"),
		},
		Args: map[string]func() []string{"verify": catalogue},
	}
}

// Candidates are the values Complete offers beyond commands and flags;
// each function is only called when its candidates are needed.
type Candidates struct {
	// FlagValues maps a flag's names (without dashes) to its values. The
	// value of a flag not listed is left to the shell (a file, a free
	// value).
	FlagValues map[string]func() []string
	// Args maps a command without subcommands to its arguments.
	Args map[string]func() []string
}

// Complete lists the candidates for cur, the word being typed, after
// words.
func Complete(app *ucli.App, words []string, cur string, more Candidates) []string {
	flags, commands := app.Flags, app.Commands
	var cmd *ucli.Command
	var prev string
	for i := 0; i < len(words); i++ {
		w := words[i]
		if w == "--" {
			prev = ""
			continue
		}
		if isFlagArg(w) {
			if flagWidth(flags, append(words[i:i+1:i+1], "x"), 0) == 2 {
				prev = w
				if i+1 < len(words) {
					prev = ""
					i++
				}
			}
			continue
		}
		prev = ""
		if next := findCommand(commands, w); next != nil {
			cmd, flags, commands = next, next.Flags, next.Subcommands
		}
	}
	var cands []string
	switch {
	case prev != "":
		values := more.FlagValues[strings.TrimLeft(prev, "-")]
		if values == nil {
			return nil // a file or a free value: the shell's own completion
		}
		cands = values()
	case strings.HasPrefix(cur, "-"):
		cands = FlagNames(flags)
		if cmd == nil {
			cands = append(cands, "--help")
		}
	case len(commands) > 0:
		cands = CommandNames(commands)
	case cmd != nil && more.Args[cmd.Name] != nil:
		cands = more.Args[cmd.Name]()
	}
	var out []string
	for _, c := range cands {
		if strings.HasPrefix(c, cur) && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}
