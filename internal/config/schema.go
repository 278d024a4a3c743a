package config

import "github.com/hashicorp/hcl/v2"

// The schemas of every block of the language, in one place so the whole
// language can be read at a glance. Attributes marked Required are reported
// by HCL itself ("Missing required argument").

func attrs(names ...string) []hcl.AttributeSchema {
	out := make([]hcl.AttributeSchema, len(names))
	for i, n := range names {
		out[i] = hcl.AttributeSchema{Name: n}
	}
	return out
}

func required(names ...string) []hcl.AttributeSchema {
	out := attrs(names...)
	for i := range out {
		out[i].Required = true
	}
	return out
}

func join(lists ...[]hcl.AttributeSchema) []hcl.AttributeSchema {
	var out []hcl.AttributeSchema
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

func blocks(types ...string) []hcl.BlockHeaderSchema {
	out := make([]hcl.BlockHeaderSchema, len(types))
	for i, t := range types {
		out[i] = hcl.BlockHeaderSchema{Type: t}
	}
	return out
}

var rootSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "environment", LabelNames: []string{"name"}},
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "locals"},
		{Type: "requirement", LabelNames: []string{"id"}},
		{Type: "network", LabelNames: []string{"name"}},
		{Type: "volume", LabelNames: []string{"name"}},
		{Type: "secret", LabelNames: []string{"name"}},
		{Type: "service", LabelNames: []string{"name"}},
		{Type: "check", LabelNames: []string{"name"}},
		{Type: "plan", LabelNames: []string{"name"}},
		{Type: "step", LabelNames: []string{"id"}},
		{Type: "fault", LabelNames: []string{"id"}},
	},
}

var environmentSchema = &hcl.BodySchema{Attributes: attrs("title", "description", "version")}

var variableSchema = &hcl.BodySchema{
	Attributes: attrs("type", "default", "description", "sensitive"),
	Blocks:     blocks("validation"),
}

var validationSchema = &hcl.BodySchema{Attributes: required("condition", "error_message")}

var requirementSchema = &hcl.BodySchema{
	Attributes: join(required("title", "priority"), attrs("kind", "source", "description")),
}

var networkSchema = &hcl.BodySchema{Attributes: attrs("subnet", "internal", "gateway", "point_to_point", "subnet6")}

var volumeSchema = &hcl.BodySchema{}

var serviceSchema = &hcl.BodySchema{
	Attributes: attrs("image", "pull", "command", "entrypoint", "env", "working_dir", "user",
		"hostname", "network_mode", "depends_on", "restart", "labels", "satisfies", "privileged",
		"cap_add", "devices", "sysctls", "stop_timeout", "default_route", "env_file", "expose", "secrets"),
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "build"},
		{Type: "network", LabelNames: []string{"name"}},
		{Type: "port"},
		{Type: "mount"},
		{Type: "file", LabelNames: []string{"path"}},
		{Type: "ready"},
		{Type: "healthcheck"},
		{Type: "resources"},
		{Type: "route"},
	},
}

var buildSchema = &hcl.BodySchema{
	Attributes: join(required("context"), attrs("dockerfile", "args", "target")),
}

var serviceNetworkSchema = &hcl.BodySchema{Attributes: attrs("ipv4_address", "aliases", "mac_address", "interface", "ipv6_address")}

var portSchema = &hcl.BodySchema{
	Attributes: join(required("container"), attrs("host", "protocol", "host_ip")),
}

var mountSchema = &hcl.BodySchema{
	Attributes: join(required("target"), attrs("volume", "bind", "tmpfs", "read_only")),
}

var fileSchema = &hcl.BodySchema{Attributes: attrs("content", "source", "mode", "owner")}

// probeBlocks are the readiness probes of `ready` and of the `wait` action.
var probeBlocks = blocks("exec", "http", "port", "log")

var readySchema = &hcl.BodySchema{
	Attributes: attrs("healthcheck", "timeout", "interval"),
	Blocks:     probeBlocks,
}

var readyExecSchema = &hcl.BodySchema{Attributes: join(required("command"), attrs("exit_code"))}
var readyHTTPSchema = &hcl.BodySchema{Attributes: join(required("port"), attrs("path", "status"))}
var readyPortSchema = &hcl.BodySchema{Attributes: join(required("port"), attrs("protocol"))}
var readyLogSchema = &hcl.BodySchema{Attributes: join(required("pattern"), attrs("occurrences"))}

var healthcheckSchema = &hcl.BodySchema{
	Attributes: join(required("test"), attrs("interval", "timeout", "retries", "start_period", "start_interval")),
}

var resourcesSchema = &hcl.BodySchema{Attributes: attrs("memory", "cpus")}

// checkKinds are the probe kinds of a check, in the order documented.
var checkKinds = []string{"exec", "http", "tcp", "dns", "file", "process", "service"}

var checkSchema = &hcl.BodySchema{
	Attributes: attrs("title", "verifies", "timeout"),
	Blocks:     blocks(checkKinds...),
}

var stepCheckSchema = &hcl.BodySchema{
	Attributes: attrs("title", "timeout"),
	Blocks:     blocks(checkKinds...),
}

var probeSchemas = map[string]*hcl.BodySchema{
	"exec": {Attributes: join(required("service", "command"), attrs("user", "workdir", "env", "exit_code",
		"stdout_contains", "stdout_matches", "stderr_contains", "stderr_matches"))},
	"http": {Attributes: join(required("url"), attrs("from", "method", "headers", "body", "status",
		"body_contains", "body_matches", "header", "json_path", "json_equals"))},
	"tcp":     {Attributes: join(required("address"), attrs("from", "reachable"))},
	"dns":     {Attributes: join(required("from", "name"), attrs("address", "resolves"))},
	"file":    {Attributes: join(required("service", "path"), attrs("exists", "contains", "mode"))},
	"process": {Attributes: join(required("service", "name"), attrs("running"))},
	"service": {Attributes: join(required("service"), attrs("state"))},
}

var planSchema = &hcl.BodySchema{Attributes: attrs("title", "description")}

// actionKinds are the actions a step (and its rollback) can take.
var actionKinds = []string{"exec", "copy", "restart", "stop", "start", "wait", "http"}

var stepSchema = &hcl.BodySchema{
	Attributes: attrs("title", "implements", "timeout", "on_failure", "planned"),
	Blocks: append(blocks(append([]string{"retry", "rollback"}, actionKinds...)...),
		hcl.BlockHeaderSchema{Type: "check", LabelNames: []string{"name"}}),
}

var rollbackSchema = &hcl.BodySchema{Blocks: blocks(actionKinds...)}

var retrySchema = &hcl.BodySchema{Attributes: attrs("attempts", "delay")}

var actionSchemas = map[string]*hcl.BodySchema{
	"exec":    {Attributes: join(required("service", "command"), attrs("user", "workdir", "env", "stdin_file", "exit_code", "timeout"))},
	"copy":    {Attributes: join(required("service", "source", "target"), attrs("mode", "owner", "timeout"))},
	"restart": {Attributes: join(required("service"), attrs("timeout"))},
	"stop":    {Attributes: join(required("service"), attrs("timeout"))},
	"start":   {Attributes: join(required("service"), attrs("timeout"))},
	"wait":    {Attributes: join(required("service"), attrs("healthcheck", "timeout", "interval")), Blocks: probeBlocks},
	"http":    {Attributes: join(required("url"), attrs("from", "method", "headers", "body", "status", "timeout"))},
}
