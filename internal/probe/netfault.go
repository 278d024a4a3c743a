package probe

import (
	"flag"
	"fmt"
	"io"
	"time"
)

// NoNetem is what netem says when the engine's kernel has no netem
// qdisc (CONFIG_NET_SCH_NETEM): the fault cannot run on that engine.
const NoNetem = "the engine's kernel has no netem qdisc (sch_netem); faults with netem cannot run on this engine"

// NetemSpec is a netem qdisc on every interface of the namespace.
type NetemSpec struct {
	Delay, Jitter time.Duration
	Loss          float64 // percent
}

// BlockSpec drops packets to a local port.
type BlockSpec struct {
	Port     int
	Protocol string // tcp or udp
}

// netFault runs `proeftuin probe netem|block`: the network faults of
// fault exercises, run in a helper sidecar with NET_ADMIN that shares the
// service's network namespace. They use netlink and nftables directly,
// so neither the sidecar nor the service needs tc or nft.
func netFault(kind string, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("probe "+kind, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var err error
	switch kind {
	case "netem":
		var s NetemSpec
		fs.DurationVar(&s.Delay, "delay", 0, "")
		fs.DurationVar(&s.Jitter, "jitter", 0, "")
		fs.Float64Var(&s.Loss, "loss", 0, "")
		if fs.Parse(args) != nil {
			return ExitInvalid
		}
		err = applyNetem(s)
	case "block":
		var s BlockSpec
		fs.IntVar(&s.Port, "port", 0, "")
		fs.StringVar(&s.Protocol, "protocol", "tcp", "")
		if fs.Parse(args) != nil {
			return ExitInvalid
		}
		if s.Port < 1 || s.Port > 65535 || (s.Protocol != "tcp" && s.Protocol != "udp") {
			fmt.Fprintln(stderr, "proeftuin probe block: --port 1-65535 and --protocol tcp or udp are required")
			return ExitInvalid
		}
		err = applyBlock(s)
	}
	if err != nil {
		fmt.Fprintf(stderr, "proeftuin probe %s: %v\n", kind, err)
		return ExitFailed
	}
	fmt.Fprintf(stdout, "%s applied\n", kind)
	return ExitOK
}
