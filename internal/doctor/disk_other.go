//go:build !(linux || darwin || freebsd)

package doctor

func diskFree(string) (uint64, string, bool) { return 0, "", false }
