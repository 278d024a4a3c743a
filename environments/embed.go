// Package environments is the standard lab catalogue, embedded in the
// proeftuin binary: `proeftuin labs` lists it and `proeftuin init --from
// <lab> DIR` copies a lab out of it. Every folder here is one lab.
//
// The patterns have no "all:" prefix on purpose: files and folders whose
// names begin with "." or "_" (like the .proeftuin/ run folders a lab
// gets when it is run in place) are not embedded.
package environments

import "embed"

// FS holds the labs, each in a folder named after the lab.
//
//go:embed hello webserver netwerk fileserver directory monitoring
var FS embed.FS
