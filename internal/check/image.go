package check

import "context"

// Image finds or builds the probe sidecar image (FROM scratch with the
// static proeftuin binary at /proeftuin) and returns its reference; fault
// exercises run their network helper from it.
func (r *Runner) Image(ctx context.Context) (string, error) {
	img, err := r.ensureImage(ctx)
	return img.ref, err
}

// BinaryPath is where the proeftuin binary is in the probe image.
const BinaryPath = probeBinaryPath
