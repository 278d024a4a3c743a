package probe

import (
	"flag"
	"fmt"
	"io"
	"net/netip"
)

// VethSpec is one end of a point-to-point link: `probe veth` runs in a
// helper that shares the first end's network namespace and the second
// end's process namespace, so the peer can be moved to the namespace of
// process 1 (the second end's main process) with NET_ADMIN alone.
type VethSpec struct {
	Name, PeerName string
	Address        netip.Prefix // the first end's address, with the link's prefix length
	// Replace first removes a veth in this namespace that holds Address
	// or is named Name or PeerName: the link made by an earlier up, when
	// it is made again (removing one end removes its peer too).
	Replace bool
}

func vethCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("probe veth", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var s VethSpec
	var addr string
	fs.StringVar(&s.Name, "name", "", "")
	fs.StringVar(&s.PeerName, "peer-name", "", "")
	fs.StringVar(&addr, "address", "", "")
	fs.BoolVar(&s.Replace, "replace", false, "")
	if fs.Parse(args) != nil {
		return ExitInvalid
	}
	var err error
	if s.Address, err = netip.ParsePrefix(addr); err != nil || s.Name == "" || s.PeerName == "" {
		fmt.Fprintln(stderr, "proeftuin probe veth: --name, --peer-name and --address ADDRESS/BITS are required")
		return ExitInvalid
	}
	if err := applyVeth(s); err != nil {
		fmt.Fprintln(stderr, "proeftuin probe veth:", err)
		return ExitFailed
	}
	fmt.Fprintln(stdout, "veth applied")
	return ExitOK
}
