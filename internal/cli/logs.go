package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"

	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/engine"
)

func logsCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "logs",
		Usage:     "show services' logs",
		ArgsUsage: "[SERVICE...]",
		Description: `Prints the output of the named services (all services of the instance
when none is named). With more than one service every line starts with the
service's name. Values of sensitive variables are hidden.

Examples:
  proeftuin logs web
  proeftuin logs -f --tail 20 web db
  proeftuin logs`,
		Flags: append(engineFlags(),
			&ucli.BoolFlag{Name: "follow", Aliases: []string{"f"}, Usage: "keep printing new output until interrupted"},
			&ucli.StringFlag{Name: "tail", Value: "all", Usage: "number of lines to show from the end of each log, or all"},
		),
		Action: runLogs,
	}
}

func runLogs(c *ucli.Context) error {
	tail := c.String("tail")
	if tail != "all" {
		if n, err := strconv.Atoi(tail); err != nil || n < 0 {
			return exit(ExitInvalid, fmt.Errorf("--tail must be a number or all, not %q", tail))
		}
	}
	env, instance, err := optionalEnv(c)
	if err != nil {
		return err
	}
	stop, interrupted := interruptible(c, nil) // Ctrl-C is how -f ends: no message
	defer stop()
	eng, err := connect(c)
	if err != nil {
		return err
	}
	defer eng.Close()

	services := c.Args().Slice()
	var ctrs []engine.Container
	if len(services) == 0 {
		all, err := eng.Containers(c.Context, engine.Instance(instance))
		if err != nil {
			return engineExit(err)
		}
		if len(all) == 0 {
			return exit(ExitFailed, fmt.Errorf("instance %s has no containers", instance))
		}
		ctrs = all
	} else {
		for _, s := range services {
			ctr, err := serviceContainer(c.Context, eng, instance, s)
			if err != nil {
				return err
			}
			ctrs = append(ctrs, ctr)
		}
	}

	width := 0
	for _, ctr := range ctrs {
		if n := len(ctr.Labels[engine.LabelService]); n > width {
			width = n
		}
	}
	var mu sync.Mutex
	redactFn := redactor(env)
	var wg sync.WaitGroup
	errs := make([]error, len(ctrs))
	for i, ctr := range ctrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			prefix := ""
			if len(ctrs) > 1 {
				prefix = fmt.Sprintf("%-*s | ", width, ctr.Labels[engine.LabelService])
			}
			errs[i] = copyLog(c, eng, ctr.ID, tail, prefix, redactFn, &mu)
		}()
	}
	wg.Wait()
	if interrupted() {
		return exit(ExitInterrupted, nil)
	}
	if err := errors.Join(errs...); err != nil {
		return engineExit(err)
	}
	return nil
}

// copyLog writes one container's log line by line, with prefix, holding mu
// per line so lines of different services never interleave.
func copyLog(c *ucli.Context, eng engine.Engine, id, tail, prefix string, redactFn func(string) string, mu *sync.Mutex) error {
	rc, err := eng.Logs(c.Context, id, engine.LogOptions{Follow: c.Bool("follow"), Tail: tail})
	if err != nil {
		return err
	}
	defer rc.Close()
	r := bufio.NewReaderSize(rc, 64<<10)
	for {
		line, err := r.ReadString('\n')
		if line != "" {
			if redactFn != nil {
				line = redactFn(line)
			}
			mu.Lock()
			_, _ = io.WriteString(c.App.Writer, prefix+line)
			if line[len(line)-1] != '\n' {
				_, _ = io.WriteString(c.App.Writer, "\n")
			}
			mu.Unlock()
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if c.Context.Err() != nil {
				return nil
			}
			return fmt.Errorf("read log: %w", err)
		}
	}
}
