package instance

import "github.com/proeftuin/proeftuin/internal/runner"

func runnerOptions() runner.Options { return runner.Options{} }
