package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/environments"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/engine/docker"
	"github.com/proeftuin/proeftuin/internal/labs"
)

// Shell completion. `proeftuin completion SHELL` prints a small script
// that asks the hidden `proeftuin __complete =CUR WORD...` for the
// candidates of the word being typed (CUR, after "=" so it is never an
// empty argument, which PowerShell 5.1 drops) given the words before it.
// The candidates come from the command tree itself: commands, each
// command's flags, the labs of the catalogue (init --from, lab verify)
// and the instances found on the engine (--name).

var completionScripts = map[string]string{
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

func completionCommand() *ucli.Command {
	shells := []string{"bash", "fish", "powershell", "zsh"}
	return &ucli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script: bash, zsh, fish or powershell",
		ArgsUsage: "SHELL",
		Description: `Completes commands, flags, the labs of the catalogue (init --from, lab
verify) and the instances on the engine (--name).

Examples:
   source <(proeftuin completion bash)        # in ~/.bashrc
   proeftuin completion zsh > "${fpath[1]}/_proeftuin"
   proeftuin completion fish > ~/.config/fish/completions/proeftuin.fish
   proeftuin completion powershell | Out-String | Invoke-Expression   # in $PROFILE`,
		Action: func(c *ucli.Context) error {
			if c.NArg() != 1 || completionScripts[c.Args().First()] == "" {
				return exit(ExitInvalid, fmt.Errorf("completion takes one shell: %s", strings.Join(shells, ", ")))
			}
			_, err := fmt.Fprint(c.App.Writer, completionScripts[c.Args().First()])
			return err
		},
	}
}

func completeCommand() *ucli.Command {
	return &ucli.Command{
		Name:            "__complete",
		Hidden:          true,
		SkipFlagParsing: true,
		HideHelp:        true,
		Action: func(c *ucli.Context) error {
			args := c.Args().Slice()
			if len(args) == 0 || !strings.HasPrefix(args[0], "=") {
				return exit(ExitInvalid, fmt.Errorf("usage: proeftuin __complete =CURRENT [WORD...]"))
			}
			for _, s := range complete(c.App, args[1:], args[0][1:], instanceNames) {
				fmt.Fprintln(c.App.Writer, s)
			}
			return nil
		},
	}
}

// complete lists the candidates for cur, the word being typed, after
// words. instances lists the instances on the engine (only asked for when
// needed).
func complete(app *ucli.App, words []string, cur string, instances func() []string) []string {
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
		switch strings.TrimLeft(prev, "-") {
		case "from":
			cands, _ = labs.Names(environments.FS)
		case "name":
			cands = instances()
		case "pull":
			cands = []string{"missing", "always", "never"}
		case "output", "o":
			cands = []string{"text", "json"}
		case "lang", "l":
			cands = []string{"en", "nl"}
		default:
			return nil // a file or a free value: the shell's own completion
		}
	case strings.HasPrefix(cur, "-"):
		cands = flagNames(flags)
		if cmd == nil {
			cands = append(cands, "--help")
		}
	case len(commands) > 0:
		cands = commandNames(commands)
	case cmd != nil && cmd.Name == "verify":
		cands, _ = labs.Names(environments.FS)
	}
	var out []string
	for _, c := range cands {
		if strings.HasPrefix(c, cur) && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// instanceNames lists the instances on the engine; none when it does not
// answer within a second (completion must not hang).
func instanceNames() []string {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	eng, err := docker.New(ctx, docker.Options{})
	if err != nil {
		return nil
	}
	defer eng.Close()
	cs, err := eng.Containers(ctx, map[string]string{engine.LabelInstance: ""})
	if err != nil {
		return nil
	}
	var out []string
	for _, c := range cs {
		if n := c.Labels[engine.LabelInstance]; n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}
