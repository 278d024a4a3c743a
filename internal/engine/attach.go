package engine

import "context"

// NetworkAttacher connects a container to a network and disconnects it
// while it runs: what fault exercises use to cut a service off. An engine
// without it cannot run the disconnect and connect fault actions.
type NetworkAttacher interface {
	// ConnectNetwork attaches container id to att.Network with att's
	// address and aliases.
	ConnectNetwork(ctx context.Context, id string, att NetworkAttachment) error
	// DisconnectNetwork detaches container id from network (name or ID).
	DisconnectNetwork(ctx context.Context, id, network string) error
}
