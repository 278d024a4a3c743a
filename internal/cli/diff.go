package cli

import (
	"fmt"
	"strings"
)

// diffContext is the number of unchanged lines shown around a change.
const diffContext = 3

// unifiedDiff returns a unified diff of two versions of the file name, or
// "" when they are equal. It is meant for formatting changes of files a
// person wrote: a plain LCS over lines, which is quadratic but fine for a
// few thousand lines; beyond that the whole file is one hunk.
func unifiedDiff(name, a, b string) string {
	if a == b {
		return ""
	}
	x, y := splitLines(a), splitLines(b)
	ops := diffLines(x, y)

	var out strings.Builder
	fmt.Fprintf(&out, "--- a/%s\n+++ b/%s\n", name, name)
	// Group ops into hunks: runs of changes with up to 2*diffContext equal
	// lines between them.
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		start := max(i-diffContext, 0)
		end := i
		for end < len(ops) {
			if ops[end].kind != ' ' {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].kind == ' ' {
				run++
			}
			if run == len(ops) || run-end > 2*diffContext {
				end = min(end+diffContext, len(ops))
				break
			}
			end = run
		}
		writeHunk(&out, ops[start:end])
		i = end
	}
	return out.String()
}

type diffOp struct {
	kind         byte // ' ', '-', '+'
	line         string
	aLine, bLine int // 1-based line numbers before the op in a and b
}

func writeHunk(out *strings.Builder, ops []diffOp) {
	var aCount, bCount int
	for _, op := range ops {
		if op.kind != '+' {
			aCount++
		}
		if op.kind != '-' {
			bCount++
		}
	}
	aStart, bStart := ops[0].aLine, ops[0].bLine
	if aCount == 0 {
		aStart--
	}
	if bCount == 0 {
		bStart--
	}
	fmt.Fprintf(out, "@@ -%d,%d +%d,%d @@\n", aStart, aCount, bStart, bCount)
	for _, op := range ops {
		out.WriteByte(op.kind)
		out.WriteString(op.line)
		if !strings.HasSuffix(op.line, "\n") {
			out.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// splitLines splits s after every newline, keeping them.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// diffLines computes the edit script from x to y.
func diffLines(x, y []string) []diffOp {
	// Common prefix and suffix first: formatting usually changes a few
	// lines of a long file.
	pre := 0
	for pre < len(x) && pre < len(y) && x[pre] == y[pre] {
		pre++
	}
	suf := 0
	for suf < len(x)-pre && suf < len(y)-pre && x[len(x)-1-suf] == y[len(y)-1-suf] {
		suf++
	}
	mx, my := x[pre:len(x)-suf], y[pre:len(y)-suf]

	var mid []diffOp
	if len(mx)*len(my) > 4_000_000 {
		for _, l := range mx {
			mid = append(mid, diffOp{kind: '-', line: l})
		}
		for _, l := range my {
			mid = append(mid, diffOp{kind: '+', line: l})
		}
	} else {
		mid = lcsDiff(mx, my)
	}

	ops := make([]diffOp, 0, pre+len(mid)+suf)
	for _, l := range x[:pre] {
		ops = append(ops, diffOp{kind: ' ', line: l})
	}
	ops = append(ops, mid...)
	for _, l := range x[len(x)-suf:] {
		ops = append(ops, diffOp{kind: ' ', line: l})
	}
	// Number the lines.
	a, b := 1, 1
	for i := range ops {
		ops[i].aLine, ops[i].bLine = a, b
		if ops[i].kind != '+' {
			a++
		}
		if ops[i].kind != '-' {
			b++
		}
	}
	return ops
}

func lcsDiff(x, y []string) []diffOp {
	n, m := len(x), len(y)
	// lcs[i][j] is the LCS length of x[i:] and y[j:].
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var ops []diffOp
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case x[i] == y[j]:
			ops = append(ops, diffOp{kind: ' ', line: x[i]})
			i++
			j++
		case lcs[i+1][j] >= lcs[i][j+1]:
			ops = append(ops, diffOp{kind: '-', line: x[i]})
			i++
		default:
			ops = append(ops, diffOp{kind: '+', line: y[j]})
			j++
		}
	}
	for ; i < n; i++ {
		ops = append(ops, diffOp{kind: '-', line: x[i]})
	}
	for ; j < m; j++ {
		ops = append(ops, diffOp{kind: '+', line: y[j]})
	}
	return ops
}
