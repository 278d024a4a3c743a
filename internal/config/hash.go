package config

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"sort"
	"strings"
)

// hash returns a SHA-256 over the name and content of every *.hcl file of
// the folder and every file read through file functions or `source`, each
// length-prefixed so that no two different inputs hash alike.
func (l *loader) hash() string {
	h := sha256.New()
	var names []string
	for name := range l.env.Files {
		if _, isVarFile := l.varFiles[name]; !isVarFile && strings.HasSuffix(name, ".hcl") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		writeField(h, "hcl:"+name)
		writeField(h, string(l.env.Files[name].Bytes))
	}
	reads := sortedKeys(l.reads)
	for _, name := range reads {
		writeField(h, "file:"+name)
		writeField(h, string(l.reads[name]))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func writeField(h hash.Hash, s string) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(s)))
	h.Write(n[:])
	h.Write([]byte(s))
}
