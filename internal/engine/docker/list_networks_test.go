package docker

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/moby/moby/client"
)

// TestContainersListNetworks: the list names a container's networks; a
// container on no network (disconnected from its only one) has an empty,
// not a nil, list, so the planner can tell "on none" from "not known".
func TestContainersListNetworks(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`[
 {"Id":"a","Names":["/lab-web"],"State":"running","NetworkSettings":{"Networks":{"lab-front":{},"lab-back":{}}}},
 {"Id":"b","Names":["/lab-api"],"State":"running","NetworkSettings":{"Networks":{}}},
 {"Id":"c","Names":["/lab-old"],"State":"running"}
]`))
	}))
	defer srv.Close()
	cli, err := client.New(client.WithHost("tcp://"+strings.TrimPrefix(srv.URL, "http://")), client.WithAPIVersion("1.41"))
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	d := &Docker{cli: cli, host: srv.URL}
	cs, err := d.Containers(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, c := range cs {
		got[c.Name] = c.Networks
	}
	if n := got["lab-web"]; strings.Join(n, ",") != "lab-back,lab-front" {
		t.Errorf("lab-web networks %v", n)
	}
	if n := got["lab-api"]; n == nil || len(n) != 0 {
		t.Errorf("lab-api networks %#v, want empty and not nil", n)
	}
	if n := got["lab-old"]; n != nil {
		t.Errorf("lab-old networks %#v, want nil (not known)", n)
	}
}
