package config

import "github.com/hashicorp/hcl/v2"

// Options control loading.
type Options struct {
	// Dir is the environment folder; all *.hcl files in it are read
	// together (not recursively).
	Dir string
	// Vars are "name=value" assignments from --var, in command-line order.
	Vars []string
	// VarFiles are HCL files of `name = value` lines from --var-file, in order.
	VarFiles []string
	// Environ is the process environment (os.Environ()) searched for
	// PROEFTUIN_VAR_<name>; nil means none.
	Environ []string
	// Subnets maps network names declared with subnet = "auto" to the CIDR
	// allocated for this instance. Without an entry the subnet is unknown
	// and expressions depending on it stay unresolved (fine for validate).
	Subnets map[string]string
}

// Load reads, decodes, evaluates and validates an environment folder. The
// returned Environment is never nil (it holds Files for rendering
// diagnostics) but is only complete when diags has no errors.
func Load(opts Options) (*Environment, hcl.Diagnostics) {
	panic("TODO: implemented by the loader")
}
