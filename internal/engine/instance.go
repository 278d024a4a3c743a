package engine

// Instance is the label match for everything of instance name: its
// services' containers, its probe sidecars, its networks and its volumes.
// It is the one query for "what exists of this instance"; narrow it with
// Service. Each call returns a new map the caller may change.
func Instance(name string) map[string]string {
	return map[string]string{LabelInstance: name}
}

// Service is the label match for the containers of one service of
// instance.
func Service(instance, service string) map[string]string {
	m := Instance(instance)
	m[LabelService] = service
	return m
}
