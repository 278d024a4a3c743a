package report

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// pending holds the temporary files being written (writeAtomic and the
// runner's state), so a command that must exit at once — a second Ctrl-C —
// can remove them first (RemovePendingTemps).
var pending sync.Map

// TrackTemp records a temporary file being written; the returned function
// forgets it again once it was renamed or removed.
func TrackTemp(path string) (done func()) {
	pending.Store(path, struct{}{})
	return func() { pending.Delete(path) }
}

// RemovePendingTemps removes every temporary file still being written.
// The CLI calls it before exiting at once on a second interrupt.
func RemovePendingTemps() {
	pending.Range(func(k, _ any) bool {
		_ = os.Remove(k.(string))
		pending.Delete(k)
		return true
	})
}

// sweepTemps removes temporary files an earlier write left in dir (a
// process killed between creating and renaming one): ".<name>.<n>.tmp"
// of the report and state files.
func sweepTemps(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		n := e.Name()
		if !e.Type().IsRegular() || !strings.HasPrefix(n, ".") || !strings.HasSuffix(n, ".tmp") {
			continue
		}
		names := []string{"state.json"}
		for _, f := range fileNames {
			names = append(names, f)
		}
		for _, f := range names {
			if strings.HasPrefix(n, "."+f+".") {
				if _, busy := pending.Load(filepath.Join(dir, n)); !busy {
					_ = os.Remove(filepath.Join(dir, n))
				}
				break
			}
		}
	}
}
