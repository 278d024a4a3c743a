package config

import (
	"net/netip"
	"path/filepath"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

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
	// MemoryLimit bounds how much the heap may grow while the
	// configuration is evaluated (0: no bound). Past it, Load stops
	// evaluating and reports "Value too large" at the expression it was in.
	MemoryLimit uint64
	// TimeLimit bounds how long evaluation may take (0: no bound), the
	// same way: a lab evaluates in milliseconds.
	TimeLimit time.Duration
	// OnStuck is called, from another goroutine, when the memory limit was
	// passed and Load has not returned shortly after: one expression is
	// still growing and cannot be interrupted. The caller should report
	// the diagnostics and end the process. nil: Load keeps running.
	OnStuck func(hcl.Diagnostics)
}

// Load reads, decodes, evaluates and validates an environment folder. The
// returned Environment is never nil (it holds Files for rendering
// diagnostics) but is only complete when diags has no errors.
//
// Loading goes in phases, each building the evaluation context the next one
// needs: variables (defaults, environment, var files, --var) → networks
// (their subnets may use variables) → locals (in dependency order) → every
// other block → cross-block validation. Diagnostics are collected, never
// returned early, and sorted by position at the end.
func Load(opts Options) (*Environment, hcl.Diagnostics) {
	l := newLoader(opts)
	if opts.MemoryLimit > 0 || opts.TimeLimit > 0 {
		l.guard = startGuard(opts.MemoryLimit, opts.TimeLimit, opts.OnStuck)
	}
	l.load()
	if l.guard != nil {
		l.guard.stop()
		if l.guard.tripped.Load() != nil {
			l.diags = append(l.diags, l.guard.diagnostic())
		}
	}
	hintDutch(l.diags)
	sortDiagnostics(l.diags, l.fileOrder, l.syntaxDiags)
	return l.env, l.diags
}

// loader holds the state of one Load call.
type loader struct {
	opts    Options
	dir     string // absolute environment folder
	realDir string // dir with symbolic links resolved (file confinement)
	parser  *parser
	env     *Environment
	diags   hcl.Diagnostics

	fileOrder   map[string]int
	parseFailed bool
	syntaxDiags map[*hcl.Diagnostic]bool

	funcs map[string]function.Function
	reads map[string][]byte // files read by functions or `source`, for Hash

	// decl holds the declared names per reference root ("service",
	// "network", "var", ...), filled before anything is evaluated so that
	// references can be checked regardless of declaration order.
	decl map[string]*declared
	// allowed limits the reference roots of the current phase; nil allows
	// every root.
	allowed map[string]bool
	// notAllowed is the detail of the diagnostic for a root not allowed.
	notAllowed string
	ctx        *hcl.EvalContext
	// blockVals caches blockObjects once networks are decoded.
	blockVals map[string]cty.Value

	vars       map[string]cty.Value
	localAttrs map[string]*hcl.Attribute
	locals     map[string]cty.Value

	// varFiles holds the names of --var-file files in Files.
	varFiles map[string]bool
	// netPrefix holds the parsed subnet of every network that has one.
	netPrefix map[string]netip.Prefix
	// netPrefix6 holds the parsed subnet6 of every network that has one.
	netPrefix6 map[string]netip.Prefix
	// ipRanges records where each static ipv4_address was written, to
	// report duplicates.
	ipRanges []ipUse
	// portUses records each published host port, to report duplicates.
	portUses []portUse
	// subnetRanges records each literal subnet where it was written, to
	// report overlaps and subnets too small for what attaches to them.
	subnetRanges []subnetUse
	// guard bounds evaluation memory; nil without Options.MemoryLimit.
	guard *guard
}

func newLoader(opts Options) *loader {
	l := &loader{
		opts:        opts,
		parser:      newParser(),
		fileOrder:   map[string]int{},
		syntaxDiags: map[*hcl.Diagnostic]bool{},
		reads:       map[string][]byte{},
		decl:        map[string]*declared{},
		vars:        map[string]cty.Value{},
		locals:      map[string]cty.Value{},
		netPrefix:   map[string]netip.Prefix{},
		netPrefix6:  map[string]netip.Prefix{},
		varFiles:    map[string]bool{},
	}
	for root := range refRoots {
		l.decl[root] = newDeclared()
	}
	dir := opts.Dir
	if dir == "" {
		dir = "."
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	l.dir = dir
	l.realDir = dir
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		l.realDir = real
	}
	l.env = &Environment{
		Dir:    dir,
		Files:  map[string]*hcl.File{},
		Locals: map[string]string{},
	}
	l.funcs = l.functions()
	return l
}

func (l *loader) load() {
	files := l.loadEnvironmentFiles()
	blocks := l.collectBlocks(files)
	l.declare(blocks)

	l.decodeVariables(blocks.variables)

	// Networks first: their subnets feed network.x.subnet, which locals
	// and services use (cidrhost(network.backend.subnet, 10)).
	l.setContext(map[string]bool{"var": true},
		"Network settings can only use variables (var.<name>) and functions, because locals and other blocks may depend on networks; use a variable or a literal value instead.")
	for _, b := range blocks.networks {
		l.env.Networks = append(l.env.Networks, l.decodeNetworkBlock(b))
	}

	l.decodeLocals(blocks.locals)
	l.setContext(nil, "")

	l.decodeEnvironment(blocks.environments)
	for _, b := range blocks.requirements {
		l.env.Requirements = append(l.env.Requirements, l.decodeRequirementBlock(b))
	}
	for _, b := range blocks.volumes {
		l.env.Volumes = append(l.env.Volumes, &Volume{Name: b.Labels[0], DeclRange: b.DefRange})
		_, diags := b.Body.Content(volumeSchema)
		l.diags = append(l.diags, diags...)
	}
	for _, b := range blocks.secrets {
		l.env.SecretBlocks = append(l.env.SecretBlocks, l.decodeSecretBlock(b))
	}
	for _, b := range blocks.services {
		l.env.Services = append(l.env.Services, l.decodeServiceBlock(b))
	}
	l.shareBuilds()
	l.checkCompleted()
	for _, b := range blocks.checks {
		if c := l.decodeCheckBlock(b, true); c != nil {
			l.env.Checks = append(l.env.Checks, c)
		}
	}
	for _, b := range blocks.plans {
		l.env.Plan = l.decodePlanBlock(b)
	}
	for _, b := range blocks.steps {
		l.env.Steps = append(l.env.Steps, l.decodeStepBlock(b))
	}
	for _, b := range blocks.faults {
		l.env.Faults = append(l.env.Faults, l.decodeFaultBlock(b))
	}

	l.attachDefaultNetwork()
	l.validate(blocks)
	l.env.Hash = l.hash()
}

// SourceFiles indexes env.Files both by their name relative to the
// environment folder and by their full path, whichever the loader used in
// diagnostic ranges; nil for a nil env.
func (env *Environment) SourceFiles() map[string]*hcl.File {
	if env == nil {
		return nil
	}
	files := make(map[string]*hcl.File, 2*len(env.Files))
	for name, f := range env.Files {
		files[name] = f
		if env.Dir != "" && !filepath.IsAbs(name) {
			files[filepath.Join(env.Dir, name)] = f
		}
	}
	return files
}

// HasDefinition reports whether dir ("" is the working folder) holds an
// environment definition: *.hcl files.
func HasDefinition(dir string) bool {
	if dir == "" {
		dir = "."
	}
	m, _ := filepath.Glob(filepath.Join(dir, "*.hcl"))
	return len(m) > 0
}
