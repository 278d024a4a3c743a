// Package probebin finds the probe executable that the probe sidecar
// (internal/check) runs: a static Linux binary for the engine's
// architecture, which is not the architecture or OS proeftuin itself may
// run on (a Mac, a Windows laptop).
//
// In order: the probe carried inside a release build (built from
// cmd/proeftuin-probe and embedded compressed, see embed_on.go); the running
// binary when it is itself a static Linux build of that architecture; a
// probe built with the local Go toolchain from proeftuin's source; else an
// error that gives the command to run.
package probebin

import (
	"context"
	"debug/elf"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// EnvBinary overrides the probe; internal/check honours it before Find.
const EnvBinary = "PROEFTUIN_PROBE_BINARY"

// Module is proeftuin's module path; Package the probe's main package.
const (
	Module  = "github.com/proeftuin/proeftuin"
	Package = Module + "/cmd/proeftuin-probe"
)

// selfForeign, set at link time (-X ...probebin.selfForeign=1), makes
// Find treat the running binary as unusable, as a macOS or Windows build
// is. Tests use it to run that path on Linux.
var selfForeign string

// GOARCH maps an architecture as the engine reports it (uname -m:
// x86_64, aarch64) onto Go's name; "" gives the architecture proeftuin
// runs on, which is what Docker Desktop and colima run too.
func GOARCH(engineArch string) string {
	switch a := strings.ToLower(engineArch); a {
	case "":
		return runtime.GOARCH
	case "x86_64", "x86-64", "amd64":
		return "amd64"
	case "aarch64", "arm64", "armv8", "armv8l":
		return "arm64"
	case "armv7l", "armv6l", "arm":
		return "arm"
	case "i386", "i686", "386":
		return "386"
	default:
		return a // s390x, ppc64le, riscv64 are spelled alike
	}
}

var elfMachine = map[string]elf.Machine{
	"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64, "arm": elf.EM_ARM, "386": elf.EM_386,
	"s390x": elf.EM_S390, "ppc64le": elf.EM_PPC64, "riscv64": elf.EM_RISCV,
}

// Check tells whether path can run in an empty (FROM scratch) Linux
// container of architecture goarch ("" skips that test): it must be a
// statically linked Linux ELF executable.
func Check(path, goarch string) error {
	f, err := elf.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
			return err
		}
		return fmt.Errorf("%s is not a Linux executable", path)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return fmt.Errorf("%s is dynamically linked (built with cgo), and the probe runs in an empty image", path)
		}
	}
	if want, ok := elfMachine[goarch]; ok && f.Machine != want {
		return fmt.Errorf("%s is built for %s, not %s", path, f.Machine, goarch)
	}
	return nil
}

// Find returns the path of a static Linux probe for the engine
// architecture engineArch (as engine.Info reports it). progress, when not
// nil, hears about slow steps (building the probe).
func Find(ctx context.Context, engineArch string, progress func(string)) (string, error) {
	goarch := GOARCH(engineArch)
	if p, err := fromEmbedded(goarch); p != "" || err != nil {
		return p, err
	}
	var reasons []string
	if self, err := os.Executable(); err == nil {
		if r, err := filepath.EvalSymlinks(self); err == nil {
			self = r
		}
		switch err := Check(self, goarch); {
		case selfForeign != "":
			reasons = append(reasons, "this proeftuin is not a Linux build")
		case err == nil:
			return self, nil
		default:
			reasons = append(reasons, err.Error())
		}
	}
	p, err := build(ctx, goarch, progress)
	if err == nil {
		return p, nil
	}
	reasons = append(reasons, err.Error())
	return "", &MissingError{GOOS: runtime.GOOS, GOARCH: goarch, Reasons: reasons}
}

// MissingError says no probe could be found or built, and what to run.
type MissingError struct {
	GOOS    string // where proeftuin runs: decides the shell syntax
	GOARCH  string // the engine's architecture
	Reasons []string
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("checks from inside a service need a static Linux probe for linux/%s, and none was found (%s). "+
		"A release build of proeftuin carries it; or build it in a checkout of proeftuin and point proeftuin at it:\n  %s",
		e.GOARCH, strings.Join(e.Reasons, "; "), Command(e.GOOS, e.GOARCH))
}

// Command is the command line, in the shell of goos, that builds the probe
// for linux/goarch and tells proeftuin to use it.
func Command(goos, goarch string) string {
	const build = "go build -trimpath -o proeftuin-probe ./cmd/proeftuin-probe"
	if goos == "windows" {
		return `$env:CGO_ENABLED="0"; $env:GOOS="linux"; $env:GOARCH="` + goarch + `"; ` + build +
			`; $env:GOOS=""; $env:GOARCH=""; $env:` + EnvBinary + `="$PWD\proeftuin-probe"`
	}
	return "CGO_ENABLED=0 GOOS=linux GOARCH=" + goarch + " " + build + " && export " + EnvBinary + "=\"$PWD/proeftuin-probe\""
}
