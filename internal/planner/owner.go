package planner

import (
	"fmt"
	"sort"

	"github.com/proeftuin/proeftuin/internal/engine"
)

// LabelFolder holds the absolute path of the lab folder an object was
// brought up from; CheckOwner uses it to warn when one environment is
// brought up under one name from two folders.
const LabelFolder = "proeftuin.folder"

// OtherEnvironmentError says an instance name is held by objects of
// another environment: converging them would remove that environment's
// containers and networks. Nothing was changed.
type OtherEnvironmentError struct {
	Instance string
	Have     string // the environment that holds the name
	HaveDir  string // its lab folder, "" when not recorded
	Want     string // the environment that was asked for
	WantDir  string
}

func (e *OtherEnvironmentError) Error() string {
	have := "environment " + e.Have
	if e.HaveDir != "" {
		have += " (from " + e.HaveDir + ")"
	}
	want := "environment " + e.Want
	if e.WantDir != "" {
		want += " (in " + e.WantDir + ")"
	}
	return fmt.Sprintf("instance %s belongs to %s, not to %s; nothing was changed. "+
		"Remove it first with 'proeftuin --name %s down' (its volumes are kept unless you add --volumes), "+
		"or give this one another name with --name",
		e.Instance, have, want, e.Instance)
}

// CheckOwner compares the environment labels of what the engine holds for
// an instance with the environment env (from lab folder dir) that is about
// to be converged onto it. Objects of another environment give an
// *OtherEnvironmentError. Objects of the same environment brought up from
// other folders are returned (sorted), so the caller can warn before
// anything changes. Objects without the labels (made by an older
// proeftuin) are not held against anyone.
func CheckOwner(a *Actual, instance, env, dir string) (otherFolders []string, err error) {
	if a == nil {
		return nil, nil
	}
	folders := map[string]bool{}
	var foreign *OtherEnvironmentError
	see := func(labels map[string]string) {
		have := labels[engine.LabelEnv]
		if have == "" {
			return
		}
		if have != env {
			if foreign == nil {
				foreign = &OtherEnvironmentError{Instance: instance, Have: have, HaveDir: labels[LabelFolder], Want: env, WantDir: dir}
			}
			return
		}
		if f := labels[LabelFolder]; f != "" && dir != "" && f != dir {
			folders[f] = true
		}
	}
	for _, name := range sortedKeys(a.Containers) {
		see(a.Containers[name].Labels)
	}
	for _, name := range sortedKeys(a.Networks) {
		see(a.Networks[name].Labels)
	}
	for _, name := range sortedKeys(a.Volumes) {
		see(a.Volumes[name].Labels)
	}
	if foreign != nil {
		return nil, foreign
	}
	for f := range folders {
		otherFolders = append(otherFolders, f)
	}
	sort.Strings(otherFolders)
	return otherFolders, nil
}
