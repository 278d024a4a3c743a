package cli

import (
	ucli "github.com/urfave/cli/v2"

	"github.com/proeftuin/proeftuin/internal/apply"
)

// pullFlag is --pull of up, run and lab verify: it overrides every
// service's pull policy.
func pullFlag() ucli.Flag {
	return &ucli.StringFlag{
		Name:   "pull",
		Usage:  "pull images: missing (those not on this machine), always, or never (default: each service's own pull, which is missing unless set)",
		Action: oneOf("pull", apply.PullMissing, apply.PullAlways, apply.PullNever),
	}
}
