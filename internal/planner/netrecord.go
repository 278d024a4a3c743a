package planner

import (
	"encoding/json"
	"os"
	"path/filepath"
	"time"
)

// What the network helper sets lives in the container's network
// namespace, which a restart replaces (restart policy, `docker restart`,
// a plan's restart action): the engine brings the container back with
// its bridge networks and default route, without the links, names, MACs
// and routes. The engine cannot be told about the setup afterwards (a
// label is fixed at create), so proeftuin records, per service, which
// start of which container got it: the container's ID and its StartedAt
// when the helper ran. A container whose StartedAt differs was started
// again since, and has lost its setup. This needs one inspect per
// service with a network setup, and nothing run in the container.
//
// The record is <env dir>/.proeftuin/netsetup/<instance>.json, next to
// the runs and incidents; an environment without a folder keeps none
// (and up and status do not look for lost setups).

// NetRecord maps service names to "<container ID>@<StartedAt>".
type NetRecord struct {
	Services map[string]string `json:"services"`
}

// NetRecordPath is the record of instance in the environment folder dir.
func NetRecordPath(dir, instance string) string {
	return filepath.Join(dir, ".proeftuin", "netsetup", instance+".json")
}

// NetStart is the record entry of container id started at started.
func NetStart(id string, started time.Time) string {
	return id + "@" + started.UTC().Format(time.RFC3339Nano)
}

// ReadNetRecord reads the record; a missing or unreadable one is empty.
func ReadNetRecord(dir, instance string) NetRecord {
	rec := NetRecord{Services: map[string]string{}}
	if dir == "" {
		return rec
	}
	b, err := os.ReadFile(NetRecordPath(dir, instance))
	if err == nil {
		_ = json.Unmarshal(b, &rec)
	}
	if rec.Services == nil {
		rec.Services = map[string]string{}
	}
	return rec
}

// Lost says why the network setup of service, whose container id runs
// since started, is gone: NetSetupLostCause when that container was
// started again since it got the setup, NetSetupUnrecordedCause when no
// start of it is recorded; "" when the setup is in place.
func (rec NetRecord) Lost(service, id string, started time.Time) string {
	switch got, ok := rec.Services[service]; {
	case !ok:
		return NetSetupUnrecordedCause
	case got != NetStart(id, started):
		return NetSetupLostCause
	}
	return ""
}
