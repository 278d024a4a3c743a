package cli

import ucli "github.com/urfave/cli/v2"

// provisionCommands are the commands that talk to the engine (plan, up,
// status, exec, logs, down, doctor).
func provisionCommands() []*ucli.Command { return nil }
