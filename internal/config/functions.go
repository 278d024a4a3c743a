package config

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// functions returns every function the language offers. Deliberately
// missing: env, timestamp, uuid and anything else whose result changes
// from run to run or machine to machine, because a lab must come out the
// same for every student.
func (l *loader) functions() map[string]function.Function {
	fns := make(map[string]function.Function, len(pureFuncs)+3)
	for k, v := range pureFuncs {
		fns[k] = v
	}
	fns["file"] = l.fileFunc()
	fns["fileexists"] = l.fileExistsFunc()
	// templatefile evaluates its template with every function except
	// itself, so a template cannot recurse.
	inner := make(map[string]function.Function, len(fns))
	for k, v := range fns {
		inner[k] = v
	}
	fns["templatefile"] = l.templateFileFunc(inner)
	return fns
}

var pureFuncs = pureFunctions()

// pureFunctions are the functions without access to anything outside
// their arguments.
func pureFunctions() map[string]function.Function {
	return map[string]function.Function{
		// strings
		"chomp":      stdlib.ChompFunc,
		"format":     stdlib.FormatFunc,
		"formatlist": stdlib.FormatListFunc,
		"indent":     stdlib.IndentFunc,
		"join":       stdlib.JoinFunc,
		"lower":      stdlib.LowerFunc,
		"replace":    stdlib.ReplaceFunc,
		"split":      stdlib.SplitFunc,
		"strlen":     stdlib.StrlenFunc,
		"strrev":     stdlib.ReverseFunc,
		"substr":     stdlib.SubstrFunc,
		"title":      stdlib.TitleFunc,
		"trim":       stdlib.TrimFunc,
		"trimprefix": stdlib.TrimPrefixFunc,
		"trimspace":  stdlib.TrimSpaceFunc,
		"trimsuffix": stdlib.TrimSuffixFunc,
		"upper":      stdlib.UpperFunc,
		// regular expressions
		"regex":        stdlib.RegexFunc,
		"regexall":     stdlib.RegexAllFunc,
		"regexreplace": stdlib.RegexReplaceFunc,
		// collections
		"chunklist":       stdlib.ChunklistFunc,
		"coalesce":        stdlib.CoalesceFunc,
		"coalescelist":    stdlib.CoalesceListFunc,
		"compact":         stdlib.CompactFunc,
		"concat":          stdlib.ConcatFunc,
		"contains":        stdlib.ContainsFunc,
		"distinct":        stdlib.DistinctFunc,
		"element":         stdlib.ElementFunc,
		"flatten":         stdlib.FlattenFunc,
		"index":           stdlib.IndexFunc,
		"keys":            stdlib.KeysFunc,
		"length":          stdlib.LengthFunc,
		"lookup":          stdlib.LookupFunc,
		"merge":           stdlib.MergeFunc,
		"range":           stdlib.RangeFunc,
		"reverse":         stdlib.ReverseListFunc,
		"setintersection": stdlib.SetIntersectionFunc,
		"setproduct":      stdlib.SetProductFunc,
		"setsubtract":     stdlib.SetSubtractFunc,
		"setunion":        stdlib.SetUnionFunc,
		"slice":           stdlib.SliceFunc,
		"sort":            stdlib.SortFunc,
		"values":          stdlib.ValuesFunc,
		"zipmap":          stdlib.ZipmapFunc,
		// numbers
		"abs":      stdlib.AbsoluteFunc,
		"ceil":     stdlib.CeilFunc,
		"floor":    stdlib.FloorFunc,
		"log":      stdlib.LogFunc,
		"max":      stdlib.MaxFunc,
		"min":      stdlib.MinFunc,
		"parseint": stdlib.ParseIntFunc,
		"pow":      stdlib.PowFunc,
		"signum":   stdlib.SignumFunc,
		// encoding
		"base64decode": base64DecodeFunc,
		"base64encode": base64EncodeFunc,
		"csvdecode":    stdlib.CSVDecodeFunc,
		"jsondecode":   stdlib.JSONDecodeFunc,
		"jsonencode":   stdlib.JSONEncodeFunc,
		"sha256":       sha256Func,
		// type conversion
		"tobool":   stdlib.MakeToFunc(cty.Bool),
		"tolist":   stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"tomap":    stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"tonumber": stdlib.MakeToFunc(cty.Number),
		"toset":    stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tostring": stdlib.MakeToFunc(cty.String),
		// errors
		"can": tryfunc.CanFunc,
		"try": tryfunc.TryFunc,
		// networks
		"cidrhost":   cidrHostFunc,
		"cidrsubnet": cidrSubnetFunc,
	}
}

var base64EncodeFunc = function.New(&function.Spec{
	Description: "Encodes a string as Base64.",
	Params:      []function.Parameter{{Name: "str", Type: cty.String}},
	Type:        function.StaticReturnType(cty.String),
	RefineResult: func(b *cty.RefinementBuilder) *cty.RefinementBuilder {
		return b.NotNull()
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.StringVal(base64.StdEncoding.EncodeToString([]byte(args[0].AsString()))), nil
	},
})

var base64DecodeFunc = function.New(&function.Spec{
	Description: "Decodes a Base64 string; the result must be UTF-8 text.",
	Params:      []function.Parameter{{Name: "str", Type: cty.String}},
	Type:        function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		b, err := base64.StdEncoding.DecodeString(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(0, "not valid Base64: %s", err)
		}
		if !utf8.Valid(b) {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(0, "the decoded bytes are not UTF-8 text")
		}
		return cty.StringVal(string(b)), nil
	},
})

var sha256Func = function.New(&function.Spec{
	Description: "Returns the SHA-256 of a string as hexadecimal.",
	Params:      []function.Parameter{{Name: "str", Type: cty.String}},
	Type:        function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		sum := sha256.Sum256([]byte(args[0].AsString()))
		return cty.StringVal(hex.EncodeToString(sum[:])), nil
	},
})

func (l *loader) fileFunc() function.Function {
	return function.New(&function.Spec{
		Description: "Reads a UTF-8 text file of the environment folder.",
		Params:      []function.Parameter{{Name: "path", Type: cty.String}},
		Type:        function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			src, err := l.readFile(args[0].AsString())
			if err != nil {
				return cty.UnknownVal(cty.String), function.NewArgError(0, err)
			}
			if !utf8.Valid(src) {
				return cty.UnknownVal(cty.String), function.NewArgErrorf(0, "%s is not UTF-8 text", args[0].AsString())
			}
			return cty.StringVal(string(src)), nil
		},
	})
}

func (l *loader) fileExistsFunc() function.Function {
	return function.New(&function.Spec{
		Description: "Reports whether a file exists in the environment folder.",
		Params:      []function.Parameter{{Name: "path", Type: cty.String}},
		Type:        function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p, err := l.resolve(args[0].AsString())
			if errors.Is(err, os.ErrNotExist) {
				return cty.False, nil
			}
			if err != nil {
				return cty.UnknownVal(cty.Bool), function.NewArgError(0, err)
			}
			st, err := os.Stat(p)
			return cty.BoolVal(err == nil && st.Mode().IsRegular()), nil
		},
	})
}

func (l *loader) templateFileFunc(fns map[string]function.Function) function.Function {
	return function.New(&function.Spec{
		Description: "Renders a template file of the environment folder with the given variables.",
		Params: []function.Parameter{
			{Name: "path", Type: cty.String},
			{Name: "vars", Type: cty.DynamicPseudoType},
		},
		Type: function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			name := args[0].AsString()
			src, err := l.readFile(name)
			if err != nil {
				return cty.UnknownVal(cty.String), function.NewArgError(0, err)
			}
			vars := args[1]
			if !vars.IsWhollyKnown() {
				return cty.UnknownVal(cty.String), nil
			}
			if vars.IsNull() || !(vars.Type().IsObjectType() || vars.Type().IsMapType()) {
				return cty.UnknownVal(cty.String), function.NewArgErrorf(1, "the variables must be a map, like { name = \"value\" }")
			}
			scope := map[string]cty.Value{}
			for it := vars.ElementIterator(); it.Next(); {
				k, v := it.Element()
				key := k.AsString()
				if !hclsyntax.ValidIdentifier(key) {
					return cty.UnknownVal(cty.String), function.NewArgErrorf(1, "%q cannot be used as a template variable name", key)
				}
				scope[key] = v
			}
			expr, diags := hclsyntax.ParseTemplate(src, filepath.ToSlash(filepath.Clean(name)), hcl.InitialPos)
			if diags.HasErrors() {
				return cty.UnknownVal(cty.String), function.NewArgErrorf(0, "%s", diags.Error())
			}
			for _, tr := range expr.Variables() {
				if _, ok := scope[tr.RootName()]; !ok {
					r := tr.SourceRange()
					return cty.UnknownVal(cty.String), function.NewArgErrorf(1,
						"the template uses %q at %s:%d, which is not in the variables map; a template sees only the variables passed to it",
						tr.RootName(), r.Filename, r.Start.Line)
				}
			}
			ctx := &hcl.EvalContext{Variables: scope, Functions: fns}
			val, diags := expr.Value(ctx)
			if diags.HasErrors() {
				return cty.UnknownVal(cty.String), function.NewArgErrorf(0, "%s", diags.Error())
			}
			val, _ = val.UnmarkDeep() // the call re-marks the result from its arguments
			if !val.IsKnown() {
				return cty.UnknownVal(cty.String), nil
			}
			s, err := asString(val)
			if err != nil || val.IsNull() {
				return cty.UnknownVal(cty.String), function.NewArgErrorf(0, "the template does not produce a string")
			}
			return cty.StringVal(s), nil
		},
	})
}

// readFile reads a file of the environment folder and remembers it for the
// environment's hash.
func (l *loader) readFile(name string) ([]byte, error) {
	p, err := l.resolve(name)
	if err != nil {
		return nil, err
	}
	src, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("cannot read %q: %s", name, cause(err))
	}
	rel, _ := filepath.Rel(l.realDir, p)
	l.reads[filepath.ToSlash(rel)] = src
	return src, nil
}

// resolve turns a path relative to the environment folder into an absolute
// one, refusing absolute paths and paths that leave the folder, also through
// a symbolic link: a lab handed out by a teacher must not read a student's
// files. The error wraps os.ErrNotExist when the file does not exist.
func (l *loader) resolve(name string) (string, error) {
	if name == "" {
		return "", errors.New("the path is empty; give a path relative to the environment folder")
	}
	rel, err := labRelative(name)
	if err != nil {
		return "", err
	}
	clean := filepath.FromSlash(rel)
	real, err := filepath.EvalSymlinks(filepath.Join(l.realDir, clean))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("%q does not exist in the environment folder: %w", name, os.ErrNotExist)
		}
		return "", fmt.Errorf("cannot resolve %q: %s", name, cause(err))
	}
	if !within(l.realDir, real) {
		return "", fmt.Errorf("%q leads outside the environment folder through a symbolic link; files must be inside it", name)
	}
	return real, nil
}

// labRelative checks a path written in a lab (a file's or copy's source,
// a build context, file(), templatefile()) and returns it cleaned, with
// "/" separators. It reads the same on every OS: "\" separates too, so a
// lab written on Windows (files\index.html) runs on macOS and Linux, and
// absolute paths (/etc, \x, C:\x, C:x, \\server\share) are refused
// everywhere, because a lab must run on every student's machine.
func labRelative(name string) (string, error) {
	if strings.ContainsRune(name, 0) {
		return "", fmt.Errorf("%q contains a NUL character", name)
	}
	slashed := strings.ReplaceAll(name, `\`, "/")
	if strings.HasPrefix(slashed, "/") || filepath.IsAbs(name) || hasDriveLetter(slashed) {
		return "", fmt.Errorf("%q is an absolute path; give a path relative to the environment folder", name)
	}
	clean := path.Clean(slashed)
	if clean == ".." || strings.HasPrefix(clean, "../") {
		return "", fmt.Errorf("%q leaves the environment folder; files must be inside it", name)
	}
	return clean, nil
}

// hasDriveLetter reports a Windows drive ("C:", "c:x").
func hasDriveLetter(p string) bool {
	return len(p) >= 2 && p[1] == ':' && (p[0]|0x20 >= 'a' && p[0]|0x20 <= 'z')
}

// cause drops the path from a *fs.PathError, which would print the
// absolute path of the student's machine.
func cause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
