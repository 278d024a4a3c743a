package apply

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/proeftuin/proeftuin/internal/config"
	"github.com/proeftuin/proeftuin/internal/engine"
	"github.com/proeftuin/proeftuin/internal/planner"
	"github.com/proeftuin/proeftuin/internal/progress"
	"github.com/proeftuin/proeftuin/internal/version"
)

// Pull policies.
const (
	PullMissing = "missing"
	PullAlways  = "always"
	PullNever   = "never"
)

// resolveImages makes every service's image present and returns service ->
// image ID. Builds run per service; pulls once per reference (the
// strongest policy of the services sharing it wins). All run concurrently,
// bounded by the run's parallelism.
func (r *run) resolveImages(ctx context.Context, env *config.Environment) (map[string]string, error) {
	type pullJob struct {
		ref      string
		policy   string
		services []string
	}
	pulls := map[string]*pullJob{}
	var builds []*config.Service
	for _, s := range env.Services {
		if s.Build != nil {
			builds = append(builds, s)
			continue
		}
		j := pulls[s.Image]
		if j == nil {
			j = &pullJob{ref: s.Image, policy: PullNever}
			pulls[s.Image] = j
		}
		j.services = append(j.services, s.Name)
		if rank(s.Pull) > rank(j.policy) {
			j.policy = policyOf(s.Pull)
		}
	}
	if p := r.opts.Pull; p != "" {
		// --pull on the command line overrides every service's policy.
		for _, j := range pulls {
			j.policy = policyOf(p)
		}
	}

	var mu sync.Mutex
	out := map[string]string{}
	set := func(services []string, id string) {
		mu.Lock()
		defer mu.Unlock()
		for _, s := range services {
			out[s] = id
		}
	}
	var jobs []func(context.Context) error
	refs := make([]string, 0, len(pulls))
	for ref := range pulls {
		refs = append(refs, ref)
	}
	sort.Strings(refs)
	for _, ref := range refs {
		j := pulls[ref]
		jobs = append(jobs, func(ctx context.Context) error {
			id, err := r.pull(ctx, env, j.ref, j.policy, j.services)
			if err != nil {
				return err
			}
			set(j.services, id)
			return nil
		})
	}
	for _, group := range buildGroups(env, builds) {
		jobs = append(jobs, func(ctx context.Context) error {
			id, err := r.build(ctx, env, group[0])
			if err != nil {
				return err
			}
			names := make([]string, len(group))
			for i, s := range group {
				names[i] = s.Name
			}
			set(names, id)
			return nil
		})
	}
	if err := r.all(ctx, jobs); err != nil {
		return nil, err
	}
	return out, nil
}

func rank(policy string) int {
	switch policyOf(policy) {
	case PullAlways:
		return 2
	case PullMissing:
		return 1
	}
	return 0
}

func policyOf(p string) string {
	if p == "" {
		return PullMissing
	}
	return p
}

func (r *run) pull(ctx context.Context, env *config.Environment, ref, policy string, services []string) (string, error) {
	if policy != PullAlways {
		id, err := r.eng.ImageID(ctx, ref)
		if err == nil {
			return id, nil
		}
		if !errors.Is(err, engine.ErrNotFound) {
			return "", fmt.Errorf("look up image %s: %w", ref, err)
		}
		if policy == PullNever {
			return "", &PullError{Image: ref, Services: services, Variable: imageVariable(env, ref), Never: true}
		}
	}
	start := time.Now()
	r.emit("image", ref, progress.Pulling, 0, "")
	err := r.eng.PullImage(ctx, ref, pullProgress(func(msg string) { r.emit("image", ref, progress.Pulling, time.Since(start), msg) }))
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		r.emit("image", ref, progress.Failed, time.Since(start), "pull failed")
		return "", &PullError{Image: ref, Services: services, Variable: imageVariable(env, ref), Err: err}
	}
	id, err := r.eng.ImageID(ctx, ref)
	if err != nil {
		return "", fmt.Errorf("image %s after pull: %w", ref, err)
	}
	r.emit("image", ref, progress.Pulled, time.Since(start), "")
	return id, nil
}

func (r *run) build(ctx context.Context, env *config.Environment, s *config.Service) (string, error) {
	tag := planner.BuildTag(env, s)
	start := time.Now()
	id, built, err := EnsureBuilt(ctx, r.eng, env, s, func() { r.emit("image", tag, progress.Building, 0, "") })
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		r.emit("image", tag, progress.Failed, time.Since(start), "build failed")
		return "", err
	}
	if built {
		r.emit("image", tag, progress.Built, time.Since(start), "")
	} else {
		r.emit("image", tag, progress.Kept, 0, "built before from the same context")
	}
	return id, nil
}

// EnsureBuilt returns the ID of the image built for service s, building it
// only when no image with its content tag (planner.BuildTag) exists: the
// tag holds a hash of everything the build sends, so an existing one is
// the same build. building is called (may be nil) just before a build
// starts. It reports whether it built.
func EnsureBuilt(ctx context.Context, eng engine.Engine, env *config.Environment, s *config.Service, building func()) (id string, built bool, err error) {
	tag := planner.BuildTag(env, s)
	if s.Build.Hash != "" {
		id, err := eng.ImageID(ctx, tag)
		if err == nil {
			return id, false, nil
		}
		if !errors.Is(err, engine.ErrNotFound) {
			return "", false, fmt.Errorf("look up image %s: %w", tag, err)
		}
	}
	dockerfile := s.Build.Dockerfile
	if dockerfile == "" {
		dockerfile = "Dockerfile"
	}
	if building != nil {
		building()
	}
	id, err = eng.BuildImage(ctx, engine.BuildSpec{
		ContextDir: s.Build.Context,
		Dockerfile: dockerfile,
		Args:       s.Build.Args,
		Target:     s.Build.Target,
		Tags:       []string{tag},
		Labels: map[string]string{
			engine.LabelEnv:     env.Name,
			engine.LabelService: s.Name,
			engine.LabelVersion: version.Version,
		},
	}, nil)
	if err != nil {
		return "", false, fmt.Errorf("build image for service %s from %s: %w", s.Name, s.Build.Context, err)
	}
	return id, true, nil
}

func joinNames(names []string) string {
	s := ""
	for i, n := range names {
		if i > 0 {
			s += ", "
		}
		s += n
	}
	return s
}

// buildGroups groups the services to build by their build tag: services
// that share an image (image together with build) are built once.
func buildGroups(env *config.Environment, builds []*config.Service) [][]*config.Service {
	index := map[string]int{}
	var out [][]*config.Service
	for _, s := range builds {
		tag := planner.BuildTag(env, s)
		i, ok := index[tag]
		if !ok {
			i = len(out)
			index[tag] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], s)
	}
	return out
}
