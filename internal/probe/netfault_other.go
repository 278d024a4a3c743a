//go:build !linux

package probe

import "errors"

var errLinuxOnly = errors.New("network faults run only on Linux (inside the helper sidecar)")

func applyNetem(NetemSpec) error { return errLinuxOnly }

func applyBlock(BlockSpec) error { return errLinuxOnly }

func applyNetSetup(NetSetupSpec) error { return errLinuxOnly }

func applyVeth(VethSpec) error { return errLinuxOnly }
