package report

import (
	"reflect"
	"strings"

	"github.com/proeftuin/proeftuin/internal/redact"
)

var (
	statusType = reflect.TypeFor[Status]()
	reasonType = reflect.TypeFor[ReasonCode]()
)

// Redact replaces every occurrence of each secret in every string field of
// r (also inside slices, maps and pointers) with "(sensitive)", as the
// redact package does for logs: the secret as is and in its quoted and
// JSON-escaped spellings. Status fields and reason codes are enumerations,
// not free text, and are left alone so a secret like "passed" cannot break the document.
// Empty secrets are ignored.
func Redact(r *Result, secrets []string) {
	if r == nil {
		return
	}
	var nonEmpty []string
	for _, s := range secrets {
		if s != "" {
			nonEmpty = append(nonEmpty, s)
		}
	}
	if len(nonEmpty) == 0 {
		return
	}
	redactValue(reflect.ValueOf(r).Elem(), nonEmpty)
}

func redactValue(v reflect.Value, secrets []string) {
	switch v.Kind() {
	case reflect.String:
		if v.Type() == statusType || v.Type() == reasonType || !v.CanSet() {
			return
		}
		if s := v.String(); s != "" {
			v.SetString(redactExcerpts(s, secrets))
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			redactValue(v.Elem(), secrets)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				redactValue(v.Field(i), secrets)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			redactValue(v.Index(i), secrets)
		}
	case reflect.Map:
		if v.IsNil() {
			return
		}
		// Map entries are not addressable: copy, redact and put them back.
		type kv struct{ k, v reflect.Value }
		var entries []kv
		for iter := v.MapRange(); iter.Next(); {
			k := reflect.New(v.Type().Key()).Elem()
			k.Set(iter.Key())
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(iter.Value())
			entries = append(entries, kv{k, e})
		}
		for _, e := range entries {
			v.SetMapIndex(e.k, reflect.Value{})
		}
		for _, e := range entries {
			redactValue(e.k, secrets)
			redactValue(e.v, secrets)
			v.SetMapIndex(e.k, e.v)
		}
	}
}

// redactExcerpts is redact.String, and an excerpt's end ("…", as
// probe.Excerpt cuts a body or an output) may have cut a secret in two:
// a fragment just before it that could be a secret's start is masked too.
func redactExcerpts(s string, secrets []string) string {
	parts := strings.Split(s, "…")
	for i := range parts {
		if i < len(parts)-1 {
			parts[i] = redact.Head(parts[i], secrets)
		} else {
			parts[i] = redact.String(parts[i], secrets)
		}
	}
	return strings.Join(parts, "…")
}
