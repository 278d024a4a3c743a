package composeimport

import "strings"

// Why a compose key has no counterpart in proeftuin. The page
// docs/compose.md gives the same reasons; a key not named here and not
// carried gets reasonDefault.
var reasons = map[string]string{
	"version":             "obsolete in compose itself; nothing to carry",
	"include":             "a lab is one folder; copy the included services into this file first",
	"configs":             "use a file block (file \"/path\" { source = \"...\" }) in the service",
	"models":              "proeftuin runs no AI models",
	"container_name":      "proeftuin names containers <instance>-<service>, so two instances of a lab can run side by side",
	"profiles":            "a lab always brings up all of its services",
	"deploy":              "only deploy.resources.limits (memory, cpus) is carried, as resources",
	"links":               "services find each other by name on a shared network; links are obsolete",
	"external_links":      "a lab does not reach containers outside itself",
	"extends":             "write the service out in full",
	"logging":             "proeftuin reads the engine's default logs (proeftuin logs)",
	"scale":               "one container per service",
	"volumes_from":        "declare a volume and mount it in both services",
	"dns":                 "services use the engine's resolver on the lab's networks",
	"dns_search":          "services use the engine's resolver on the lab's networks",
	"extra_hosts":         "services find each other by name; no hosts entries",
	"init":                "not supported yet",
	"ipc":                 "shared IPC between containers is not supported",
	"pid":                 "a shared or host PID namespace is not supported",
	"security_opt":        "security options are not supported",
	"read_only":           "a read-only root filesystem is not supported yet",
	"shm_size":            "not supported yet",
	"ulimits":             "not supported yet",
	"tty":                 "services run without a terminal; use proeftuin exec for one",
	"stdin_open":          "services run without a terminal; use proeftuin exec for one",
	"stop_signal":         "proeftuin stops with SIGTERM, then SIGKILL after stop_timeout",
	"platform":            "images run on the engine's own platform",
	"mac_address":         "write mac_address on the service's network block (one MAC per network)",
	"develop":             "compose watch has no counterpart: rebuild with proeftuin up",
	"post_start":          "use a plan step with an exec action",
	"pre_stop":            "use a plan step with an exec action",
	"label_file":          "write the labels into labels",
	"annotations":         "not supported",
	"cgroup_parent":       "not supported",
	"userns_mode":         "not supported",
	"runtime":             "the engine's default runtime is used",
	"isolation":           "the engine's default isolation is used",
	"storage_opt":         "not supported",
	"group_add":           "not supported yet",
	"cap_drop":            "not supported yet",
	"oom_score_adj":       "not supported",
	"mem_reservation":     "only memory limits are carried",
	"memswap_limit":       "only memory limits are carried",
	"pids_limit":          "not supported",
	"cpu_shares":          "only cpus (a limit) is carried",
	"cpuset":              "only cpus (a limit) is carried",
	"gpus":                "a lab uses no GPUs",
	"credential_spec":     "Windows only",
	"attach":              "proeftuin logs shows every service",
	"use_api_socket":      "the engine's socket is an unsafe setting; mount /var/run/docker.sock and run with --allow docker-socket",
	"external":            "a lab creates and removes its own networks and volumes",
	"driver":              "only the bridge driver (networks) and the local driver (volumes) are used",
	"driver_opts":         "driver options are not supported",
	"labels":              "labels on networks and volumes are not carried (proeftuin sets its own)",
	"name":                "proeftuin names networks and volumes <instance>-<name>",
	"attachable":          "lab networks are for the lab's own services",
	"enable_ipv6":         "IPv6 needs a literal prefix: give the network an ipam.config subnet such as fd00:1::/64 (it becomes subnet6)",
	"enable_ipv4":         "networks always have IPv4",
	"environment.unset":   "a variable without a value is taken from your machine by compose; give it a value",
	"secret.environment":  "taken from your machine by compose; the secret reads a sensitive variable instead",
	"restart":             "on a depends_on entry: not supported",
	"required":            "on a depends_on entry or env_file: not supported",
	"priority":            "not supported; the network blocks are written in the order of the compose file",
	"gw_priority":         "not supported",
	"link_local_ips":      "not supported",
	"ssh":                 "build secrets and SSH are not supported",
	"secrets":             "build secrets are not supported",
	"cache_from":          "the engine's build cache is used",
	"cache_to":            "the engine's build cache is used",
	"network":             "builds use the engine's default network",
	"platforms":           "images are built for the engine's own platform",
	"tags":                "the built image is tagged by its content",
	"additional_contexts": "a build has one context",
	"no_cache":            "the engine's build cache is used",
	"pull":                "base images are pulled when missing",
	"ipam":                "only ipam.config subnet and gateway are carried",
	"ip_range":            "not supported",
	"aux_addresses":       "not supported",
}

const reasonDefault = "no counterpart in proeftuin"

// carried lists the keys the importer carries, as path patterns ("*" is
// any one name). A key under a carried key is carried too unless a
// pattern for it is missing under a key listed in partial.
var carried = []string{
	"name", "services", "networks", "volumes", "secrets", "services.*",
	"services.*.image", "services.*.build", "services.*.command", "services.*.entrypoint",
	"services.*.environment", "services.*.env_file", "services.*.working_dir", "services.*.user",
	"services.*.hostname", "services.*.network_mode", "services.*.depends_on", "services.*.restart",
	"services.*.labels", "services.*.privileged", "services.*.cap_add", "services.*.devices",
	"services.*.sysctls", "services.*.stop_grace_period", "services.*.expose", "services.*.ports",
	"services.*.volumes", "services.*.secrets", "services.*.networks", "services.*.healthcheck",
	"services.*.mem_limit", "services.*.cpus", "services.*.pull_policy", "services.*.tmpfs",
	"services.*.deploy", "services.*.deploy.resources", "services.*.deploy.resources.limits",
	"services.*.deploy.resources.limits.memory", "services.*.deploy.resources.limits.cpus",
	"services.*.build.context", "services.*.build.dockerfile", "services.*.build.args", "services.*.build.target",
	"services.*.networks.*", "services.*.networks.*.aliases", "services.*.networks.*.ipv4_address",
	"services.*.networks.*.ipv6_address", "services.*.networks.*.mac_address", "services.*.networks.*.interface_name",
	"services.*.depends_on.*", "services.*.depends_on.*.condition",
	"networks.*", "networks.*.internal", "networks.*.driver", "networks.*.ipam", "networks.*.ipam.config", "networks.*.enable_ipv6",
	"configs", "configs.*", "configs.*.file", "configs.*.content", "services.*.configs",
	"volumes.*", "volumes.*.driver", "secrets.*", "secrets.*.file", "secrets.*.environment",
}

// partial are the carried keys whose sub-keys are checked one by one;
// under any other carried key everything is carried (env values, labels,
// healthcheck settings).
var partial = []string{
	"", "services.*", "services.*.build", "services.*.deploy", "services.*.deploy.resources",
	"services.*.deploy.resources.limits", "services.*.networks.*", "services.*.depends_on.*",
	"networks.*", "networks.*.ipam", "volumes.*", "secrets.*", "services", "networks", "volumes", "secrets",
	"configs", "configs.*",
	"services.*.networks", "services.*.depends_on",
}

func matches(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "."), strings.Split(path, ".")
	if len(ps) != len(xs) {
		return false
	}
	for i := range ps {
		if ps[i] != "*" && ps[i] != xs[i] {
			return false
		}
	}
	return true
}

func anyMatch(patterns []string, path string) bool {
	for _, p := range patterns {
		if matches(p, path) {
			return true
		}
	}
	return false
}

// judge reports whether the key at path is carried, and if not why.
func judge(path string) (bool, string) {
	parent := ""
	if i := strings.LastIndex(path, "."); i >= 0 {
		parent = path[:i]
	}
	if strings.HasPrefix(path[strings.LastIndex(path, ".")+1:], "x-") {
		return false, "an extension field (x-...): compose ignores it too"
	}
	if !anyMatch(partial, parent) {
		return true, "" // under a carried key that is carried whole
	}
	if anyMatch(carried, path) {
		return true, ""
	}
	key := path[strings.LastIndex(path, ".")+1:]
	if matches("services.*.deploy."+key, path) || strings.HasPrefix(path, "services.") && strings.Contains(path, ".deploy.resources.") {
		return false, reasons["deploy"]
	}
	if r, ok := reasons[key]; ok {
		return false, r
	}
	return false, reasonDefault
}
