package planner

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
)

// LabelConfigFields holds a short fingerprint per configuration field of a
// container ("env=1a2b3c4d,image=..."), so the cause of a recreate can be
// told from the labels alone, without inspecting the container.
const LabelConfigFields = "proeftuin.config-fields"

// fieldOrder is the order in which changed fields are named in a cause:
// the most telling first.
var fieldOrder = []string{
	"image", "command", "entrypoint", "env", "files", "ports", "networks",
	"network_mode", "mounts", "working_dir", "user", "hostname",
	"healthcheck", "resources", "restart", "privileged", "cap_add",
	"devices", "sysctls", "stop_timeout", "labels",
}

// ourLabels are the labels proeftuin sets; they are not part of the hash
// (the hash cannot contain itself, and the version or environment title
// changing does not change a container).
var ourLabels = map[string]bool{
	engine.LabelInstance: true, engine.LabelService: true, engine.LabelConfigHash: true,
	engine.LabelVersion: true, engine.LabelEnv: true, LabelConfigFields: true, LabelFolder: true,
}

// Fingerprint is the outcome of hashing one container's configuration.
type Fingerprint struct {
	Hash   string            // SHA-256 hex over every field
	Fields map[string]string // field -> SHA-256 hex of its canonical encoding; empty fields are left out
}

// Label renders the fields as the LabelConfigFields value: sorted
// "name=first-8-hex" pairs joined by commas.
func (f Fingerprint) Label() string {
	names := make([]string, 0, len(f.Fields))
	for n := range f.Fields {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n + "=" + short(f.Fields[n])
	}
	return strings.Join(parts, ",")
}

// ParseFields reads a LabelConfigFields value back.
func ParseFields(label string) map[string]string {
	out := map[string]string{}
	for _, p := range strings.Split(label, ",") {
		if k, v, ok := strings.Cut(p, "="); ok && k != "" {
			out[k] = v
		}
	}
	return out
}

// ChangedFields compares two LabelConfigFields values and returns the
// names of the fields that differ, most telling first.
func ChangedFields(oldLabel, newLabel string) []string {
	a, b := ParseFields(oldLabel), ParseFields(newLabel)
	changed := map[string]bool{}
	for k, v := range a {
		if b[k] != v {
			changed[k] = true
		}
	}
	for k, v := range b {
		if a[k] != v {
			changed[k] = true
		}
	}
	var out []string
	for _, f := range fieldOrder {
		if changed[f] {
			out = append(out, f)
			delete(changed, f)
		}
	}
	var rest []string
	for f := range changed {
		rest = append(rest, f)
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// ConfigHash fingerprints everything that shapes a container: the spec
// (without proeftuin's own labels), the image ID (imageID; the reference
// when the ID is not known) and the files placed into it. Dependencies and
// readiness are left out on purpose: changing them changes how `up` waits,
// not what runs. The encoding is canonical JSON per field (map keys sorted,
// slices in their meaningful order), so the hash is the same across runs
// and map orders.
func ConfigHash(spec engine.ContainerSpec, imageID string, files []*config.File) Fingerprint {
	image := imageID
	if image == "" {
		image = "ref:" + spec.Image
	}
	userLabels := map[string]string{}
	for k, v := range spec.Labels {
		if !ourLabels[k] {
			userLabels[k] = v
		}
	}
	var resources any
	if spec.MemoryBytes != 0 || spec.NanoCPUs != 0 || spec.PidsLimit != 0 {
		r := map[string]int64{"memory": spec.MemoryBytes, "nano_cpus": spec.NanoCPUs}
		if spec.PidsLimit != 0 { // absent otherwise, so earlier hashes stay
			r["pids"] = spec.PidsLimit
		}
		resources = r
	}
	type fileFP struct {
		Path    string `json:"path"`
		Content string `json:"sha256"`
		Mode    uint32 `json:"mode"`
		Owner   string `json:"owner"`
	}
	var ff []fileFP
	for _, f := range files {
		sum := sha256.Sum256(f.Content)
		ff = append(ff, fileFP{Path: f.Path, Content: hex.EncodeToString(sum[:]), Mode: f.Mode, Owner: f.Owner})
	}
	sort.Slice(ff, func(i, j int) bool { return ff[i].Path < ff[j].Path })

	values := map[string]any{
		"image":        image,
		"command":      spec.Command,
		"entrypoint":   spec.Entrypoint,
		"env":          spec.Env,
		"working_dir":  spec.WorkingDir,
		"user":         spec.User,
		"hostname":     spec.Hostname,
		"networks":     spec.Networks,
		"network_mode": spec.NetworkMode,
		"ports":        spec.Ports,
		"mounts":       spec.Mounts,
		"healthcheck":  spec.Healthcheck,
		"resources":    resources,
		"restart":      spec.Restart,
		"privileged":   spec.Privileged,
		"cap_add":      spec.CapAdd,
		"devices":      spec.Devices,
		"sysctls":      spec.Sysctls,
		"stop_timeout": spec.StopTimeout,
		"labels":       userLabels,
		"files":        ff,
	}
	fp := Fingerprint{Fields: map[string]string{}}
	all := sha256.New()
	for _, n := range slices.Sorted(maps.Keys(values)) {
		b, err := json.Marshal(values[n])
		if err != nil {
			// Every value above is plain data; this cannot happen.
			panic("planner: encode " + n + ": " + err.Error())
		}
		if isEmpty(b) {
			continue
		}
		sum := sha256.Sum256(b)
		h := hex.EncodeToString(sum[:])
		fp.Fields[n] = h
		all.Write([]byte(n + "=" + h + "\n"))
	}
	fp.Hash = hex.EncodeToString(all.Sum(nil))
	return fp
}

func isEmpty(b []byte) bool {
	switch string(b) {
	case "null", `""`, "[]", "{}", "false", "0":
		return true
	}
	return false
}

func short(h string) string {
	if len(h) > 8 {
		return h[:8]
	}
	return h
}
