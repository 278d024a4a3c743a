package fault

import (
	"github.com/proeftuin/proeftuin/internal/instance"
	"github.com/proeftuin/proeftuin/internal/runner"
)

// newHelper is the network helper of netem and block for fault id.
func newHelper(inst *instance.Instance, id, probeBinary string) runner.NetworkHelper {
	return nil
}
