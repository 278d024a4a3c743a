package config

// shareBuilds gives every service that names the image of a service with
// a build block that build, as compose does with image together with
// build: the image is built once and every one of them runs it. Two
// build blocks for one image must build the same thing.
func (l *loader) shareBuilds() {
	builders := map[string]*Service{}
	for _, s := range l.env.Services {
		if s.Build == nil {
			continue
		}
		s.Build.Owner = s.Name
		if s.Image == "" || s.Image == knownAfterUp {
			continue
		}
		first, ok := builders[s.Image]
		if !ok {
			builders[s.Image] = s
			continue
		}
		if !sameBuild(first.Build, s.Build) {
			rng := s.Build.DeclRange
			l.diags = append(l.diags, errorAt(&rng, "Two builds for one image",
				"Services %q and %q both build image %q, from different build blocks; give them different image names, or the same build (then one is built).", first.Name, s.Name, s.Image))
			continue
		}
		s.Build = first.Build
	}
	for _, s := range l.env.Services {
		if s.Build != nil || s.Image == "" {
			continue
		}
		if b := builders[s.Image]; b != nil {
			s.Build = b.Build
			if r, hasPull := s.AttrRanges["pull"]; hasPull {
				l.diags = append(l.diags, warningAt(&r, "Pull setting of a built image",
					"Service %q runs image %q, which service %q builds, so its pull setting is not used.", s.Name, s.Image, b.Name))
			}
		}
	}
}

func sameBuild(a, b *Build) bool {
	return a.Hash != "" && a.Hash == b.Hash && a.Context == b.Context
}
