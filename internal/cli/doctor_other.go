//go:build !(linux || darwin || freebsd)

package cli

func diskFree(string) (uint64, string, bool) { return 0, "", false }
