// Command tinyserver is the only program in a FROM scratch test image: an
// HTTP server with no shell and no tools beside it, to prove that checks
// from such a service work through the probe sidecar.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	addr := ":8080"
	if len(os.Args) > 1 {
		addr = os.Args[1]
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Tiny", "yes")
		fmt.Fprint(w, `{"service":"tiny","items":[{"name":"brood","price":2.5}]}`)
	})
	mux.HandleFunc("/status/503", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, "maintenance")
	})
	log.Fatal(http.ListenAndServe(addr, mux))
}
