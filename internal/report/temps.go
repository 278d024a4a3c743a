package report

import "github.com/proeftuin/proeftuin/internal/atomicfile"

// sweepTemps removes temporary files an earlier write left in a run's
// folder (a process killed between creating and renaming one): those of
// the report files and of the runner's state.
func sweepTemps(dir string) {
	names := []string{"state.json"}
	for _, f := range fileNames {
		names = append(names, f)
	}
	_ = atomicfile.Sweep(dir, names...)
}
