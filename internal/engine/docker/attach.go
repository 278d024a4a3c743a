package docker

import (
	"context"

	"github.com/moby/moby/client"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// ConnectNetwork implements engine.NetworkAttacher.
func (d *Docker) ConnectNetwork(ctx context.Context, id string, att engine.NetworkAttachment) error {
	ep, err := endpointSettings(att)
	if err != nil {
		return err
	}
	_, err = d.cli.NetworkConnect(ctx, att.Network, client.NetworkConnectOptions{Container: id, EndpointConfig: ep})
	return d.wrap(err, "connect container %s to network %s", id, att.Network)
}

// DisconnectNetwork implements engine.NetworkAttacher.
func (d *Docker) DisconnectNetwork(ctx context.Context, id, network string) error {
	_, err := d.cli.NetworkDisconnect(ctx, network, client.NetworkDisconnectOptions{Container: id, Force: true})
	return d.wrap(err, "disconnect container %s from network %s", id, network)
}
