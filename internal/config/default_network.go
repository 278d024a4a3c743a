package config

// DefaultNetwork is the network a service joins when it declares neither a
// network block nor network_mode. When the lab does not declare a network
// of that name, the loader adds one: a bridge network of the instance with
// an auto subnet, created and removed with it. A service therefore never
// lands on the engine's shared bridge, where every other instance could
// reach it by address and its lab-mates could not reach it by name.
const DefaultNetwork = "default"

// attachDefaultNetwork puts every service without networks and without a
// network_mode on DefaultNetwork, declaring it when the lab did not.
func (l *loader) attachDefaultNetwork() {
	var loose []*Service
	for _, s := range l.env.Services {
		if s.NetworkMode == "" && len(s.Networks) == 0 {
			loose = append(loose, s)
		}
	}
	if len(loose) == 0 {
		return
	}
	if l.env.Network(DefaultNetwork) == nil {
		n := &Network{Name: DefaultNetwork, AutoSubnet: true, Implicit: true}
		if alloc, ok := l.opts.Subnets[DefaultNetwork]; ok {
			n.Subnet = alloc
		}
		l.env.Networks = append(l.env.Networks, n)
	}
	for _, s := range loose {
		s.Networks = append(s.Networks, &ServiceNetwork{Network: DefaultNetwork, DeclRange: s.DeclRange})
	}
}
