package docker

import (
	"context"
	"strconv"
	"strings"

	"github.com/moby/moby/client"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// Top implements engine.Engine. The daemon runs `ps -ef` on the host for
// the container's processes, so the container needs no tools of its own.
func (d *Docker) Top(ctx context.Context, id string) ([]engine.Process, error) {
	res, err := d.cli.ContainerTop(ctx, id, client.ContainerTopOptions{})
	if err != nil {
		return nil, d.wrap(err, "list processes of container %s", topContainerRef(id))
	}
	return topProcesses(res.Titles, res.Processes), nil
}

// topProcesses maps ps output columns by title; Linux daemons report
// "UID PID ... CMD", Windows ones "Name PID ...".
func topProcesses(titles []string, rows [][]string) []engine.Process {
	col := func(names ...string) int {
		for i, t := range titles {
			for _, n := range names {
				if strings.EqualFold(strings.TrimSpace(t), n) {
					return i
				}
			}
		}
		return -1
	}
	pidCol := col("PID")
	cmdCol := col("CMD", "COMMAND", "ARGS", "Name")
	userCol := col("UID", "USER")
	out := make([]engine.Process, 0, len(rows))
	for _, row := range rows {
		var p engine.Process
		if pidCol >= 0 && pidCol < len(row) {
			p.PID, _ = strconv.Atoi(strings.TrimSpace(row[pidCol]))
		}
		if cmdCol >= 0 && cmdCol < len(row) {
			p.Command = row[cmdCol]
		} else if len(row) > 0 {
			p.Command = row[len(row)-1]
		}
		if userCol >= 0 && userCol < len(row) {
			p.User = row[userCol]
		}
		out = append(out, p)
	}
	return out
}

// topContainerRef shortens a 64-hex container ID for messages.
func topContainerRef(id string) string {
	if len(id) == 64 {
		return id[:12]
	}
	return id
}
