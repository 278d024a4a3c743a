package apply

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/docker/go-units"

	"github.com/proeftuin/proeftuin/internal/config"
)

// PullError says an image is missing and could not be pulled, in words a
// student can act on: which image, for which services, and the offline
// ways out. The engine's own error stays in Err for logs, not the message.
type PullError struct {
	Image    string
	Services []string
	// Variable is the lab variable whose value is the image ("" when
	// none is), so the message can say which --var to give.
	Variable string
	Never    bool // pull = "never" (or --pull never): no pull was tried
	Err      error
}

func (e *PullError) Error() string {
	var b strings.Builder
	if e.Never {
		fmt.Fprintf(&b, "image %s (service %s) is not on this machine, and pulling is off (pull = \"never\")", e.Image, joinNames(e.Services))
	} else {
		fmt.Fprintf(&b, "cannot pull image %s (service %s): %s", e.Image, joinNames(e.Services), pullReason(e.Err))
	}
	b.WriteString(". Without a registry: import the lab's offline bundle (proeftuin bundle import LAB.tar.gz), or use an image that is already on this machine")
	if e.Variable != "" {
		fmt.Fprintf(&b, " through the variable: proeftuin up --var %s=IMAGE", e.Variable)
	} else {
		b.WriteString(" (docker images lists them)")
	}
	return b.String()
}

func (e *PullError) Unwrap() error { return e.Err }

// pullReason says in a few words why a pull failed.
func pullReason(err error) string {
	if err == nil {
		return "the pull failed"
	}
	s := strings.ToLower(err.Error())
	switch {
	case strings.Contains(s, "no such host"), strings.Contains(s, "dial tcp"), strings.Contains(s, "timeout"),
		strings.Contains(s, "connection refused"), strings.Contains(s, "network is unreachable"), strings.Contains(s, "i/o timeout"):
		return "no registry answers (no internet, or the registry is blocked here)"
	case strings.Contains(s, "not found"), strings.Contains(s, "manifest unknown"):
		return "the registry has no such image or tag"
	case strings.Contains(s, "unauthorized"), strings.Contains(s, "denied"):
		return "the registry refused it (a private image needs docker login)"
	case strings.Contains(s, "toomanyrequests"), strings.Contains(s, "rate limit"):
		return "the registry's pull limit is reached; try again later"
	}
	return "the pull failed"
}

// imageVariable is the variable whose value is ref, if one is.
func imageVariable(env *config.Environment, ref string) string {
	if env == nil {
		return ""
	}
	for _, v := range env.Variables {
		if v.Value == strconv.Quote(ref) || v.Value == ref {
			return v.Name
		}
	}
	return ""
}

// pullProgress turns the engine's per-layer pull messages into one line
// per image ("3/5 layers, 12.1MB of 40.3MB"), at most twice a second.
func pullProgress(emit func(string)) func(string) {
	var mu sync.Mutex
	type layer struct{ cur, total int64 }
	layers := map[string]*layer{}
	done := map[string]bool{}
	var last time.Time
	return func(line string) {
		mu.Lock()
		defer mu.Unlock()
		id, rest, ok := strings.Cut(line, ": ")
		if !ok || len(id) < 8 || strings.Contains(id, " ") {
			return
		}
		l := layers[id]
		if l == nil {
			l = &layer{}
			layers[id] = l
		}
		switch {
		case strings.HasPrefix(rest, "Downloading"):
			// "Downloading [==>   ]  1.2MB/3.4MB"
			if i := strings.LastIndex(rest, " "); i > 0 {
				if cur, total, ok := strings.Cut(rest[i+1:], "/"); ok {
					c, err1 := units.FromHumanSize(cur)
					t, err2 := units.FromHumanSize(total)
					if err1 == nil && err2 == nil {
						l.cur, l.total = c, t
					}
				}
			}
		case strings.HasPrefix(rest, "Pull complete"), strings.HasPrefix(rest, "Already exists"), strings.HasPrefix(rest, "Download complete"):
			done[id] = true
			l.cur = l.total
		default:
			return
		}
		if time.Since(last) < 500*time.Millisecond {
			return
		}
		last = time.Now()
		var cur, total int64
		for _, l := range layers {
			cur += l.cur
			total += l.total
		}
		msg := fmt.Sprintf("%d/%d layers", len(done), len(layers))
		if total > 0 {
			msg += fmt.Sprintf(", %s of %s", units.HumanSize(float64(cur)), units.HumanSize(float64(total)))
		}
		emit(msg)
	}
}
