package probe

import (
	"errors"
	"fmt"
	"net"
	"net/netip"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// applyNetSetup renames, readdresses and routes in the current network
// namespace. A link is taken down to be renamed or given a MAC address,
// and the kernel drops the routes through a link that goes down, so the
// routes with a next hop are saved first and put back afterwards.
func applyNetSetup(s NetSetupSpec) error {
	for _, a := range s.Addresses {
		if err := addressUp(a.Name, a.Address); err != nil {
			return err
		}
	}
	byAddr, err := linksByAddress()
	if err != nil {
		return err
	}
	saved, err := netlink.RouteList(nil, netlink.FAMILY_ALL)
	if err != nil {
		return fmt.Errorf("list routes: %w", err)
	}
	type change struct {
		link netlink.Link
		spec LinkSpec
	}
	var changes []change
	for _, l := range s.Links {
		link, ok := byAddr[l.Address.String()]
		if !ok {
			return fmt.Errorf("no interface holds %s", l.Address)
		}
		if link.Attrs().Name != l.Name || l.MAC != nil {
			changes = append(changes, change{link, l})
		}
	}
	// Two passes through temporary names, so eth0 and eth1 can swap.
	for i, c := range changes {
		if err := netlink.LinkSetDown(c.link); err != nil {
			return fmt.Errorf("take %s down: %w", c.link.Attrs().Name, err)
		}
		if c.link.Attrs().Name != c.spec.Name {
			if err := netlink.LinkSetName(c.link, fmt.Sprintf("ptmp%d", i)); err != nil {
				return fmt.Errorf("rename %s: %w", c.link.Attrs().Name, err)
			}
		}
	}
	for _, c := range changes {
		if err := netlink.LinkSetName(c.link, c.spec.Name); err != nil {
			return fmt.Errorf("rename the interface of %s to %s: %w", c.spec.Address, c.spec.Name, err)
		}
		if c.spec.MAC != nil {
			if err := netlink.LinkSetHardwareAddr(c.link, c.spec.MAC); err != nil {
				return fmt.Errorf("set MAC address %s on %s: %w", c.spec.MAC, c.spec.Name, err)
			}
		}
		if err := netlink.LinkSetUp(c.link); err != nil {
			return fmt.Errorf("bring %s up: %w", c.spec.Name, err)
		}
	}
	for _, r := range saved {
		if r.Gw == nil || (s.NoDefaultRoute && isDefault(r.Dst)) {
			continue
		}
		if err := netlink.RouteReplace(&r); err != nil {
			return fmt.Errorf("restore route %s: %w", r, err)
		}
	}
	if s.NoDefaultRoute {
		if err := removeDefaultRoutes(); err != nil {
			return err
		}
	}
	for _, r := range s.Routes {
		route := &netlink.Route{Gw: net.IP(r.Via.AsSlice())}
		if r.To.Bits() > 0 {
			route.Dst = &net.IPNet{IP: net.IP(r.To.Addr().AsSlice()), Mask: net.CIDRMask(r.To.Bits(), r.To.Addr().BitLen())}
		}
		if err := netlink.RouteReplace(route); err != nil {
			return fmt.Errorf("add route to %s via %s: %w", r.To, r.Via, err)
		}
	}
	return nil
}

func linksByAddress() (map[string]netlink.Link, error) {
	links, err := netlink.LinkList()
	if err != nil {
		return nil, fmt.Errorf("list interfaces: %w", err)
	}
	out := map[string]netlink.Link{}
	for _, link := range links {
		addrs, err := netlink.AddrList(link, netlink.FAMILY_ALL)
		if err != nil {
			return nil, fmt.Errorf("list addresses of %s: %w", link.Attrs().Name, err)
		}
		for _, a := range addrs {
			out[a.IP.String()] = link
		}
	}
	return out, nil
}

func isDefault(dst *net.IPNet) bool {
	if dst == nil {
		return true
	}
	ones, _ := dst.Mask.Size()
	return ones == 0
}

func removeDefaultRoutes() error {
	routes, err := netlink.RouteList(nil, netlink.FAMILY_ALL)
	if err != nil {
		return fmt.Errorf("list routes: %w", err)
	}
	for _, r := range routes {
		if r.Gw == nil || !isDefault(r.Dst) {
			continue
		}
		if err := netlink.RouteDel(&r); err != nil && !errors.Is(err, unix.ESRCH) {
			return fmt.Errorf("remove the default route via %s: %w", r.Gw, err)
		}
	}
	return nil
}

// applyVeth makes a veth pair: Name here with its address, up; PeerName
// in the network namespace of process 1, down and without an address
// (the other end's netsetup gives it one).
func applyVeth(s VethSpec) error {
	if s.Replace {
		if err := removeOldVeth(s); err != nil {
			return err
		}
	}
	la := netlink.NewLinkAttrs()
	la.Name = s.Name
	veth := &netlink.Veth{LinkAttrs: la, PeerName: s.PeerName, PeerNamespace: netlink.NsPid(1)}
	if err := netlink.LinkAdd(veth); err != nil {
		return fmt.Errorf("make the veth pair %s-%s: %w", s.Name, s.PeerName, err)
	}
	return addressUp(s.Name, s.Address)
}

// addressUp gives the link named name the address and brings it up.
func addressUp(name string, p netip.Prefix) error {
	link, err := netlink.LinkByName(name)
	if err != nil {
		return fmt.Errorf("find %s: %w", name, err)
	}
	addr := &netlink.Addr{IPNet: &net.IPNet{IP: net.IP(p.Addr().AsSlice()), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}}
	if err := netlink.AddrReplace(link, addr); err != nil {
		return fmt.Errorf("address %s on %s: %w", p, name, err)
	}
	if err := netlink.LinkSetUp(link); err != nil {
		return fmt.Errorf("bring %s up: %w", name, err)
	}
	return nil
}

// removeOldVeth removes the veth links of this namespace that an earlier
// link of s left: named s.Name or s.PeerName, or holding s.Address.
func removeOldVeth(s VethSpec) error {
	byAddr, err := linksByAddress()
	if err != nil {
		return err
	}
	links, err := netlink.LinkList()
	if err != nil {
		return fmt.Errorf("list interfaces: %w", err)
	}
	for _, link := range links {
		name := link.Attrs().Name
		held := byAddr[s.Address.Addr().String()]
		if link.Type() != "veth" || name != s.Name && name != s.PeerName && (held == nil || held.Attrs().Index != link.Attrs().Index) {
			continue
		}
		if err := netlink.LinkDel(link); err != nil && !errors.Is(err, unix.ENODEV) {
			return fmt.Errorf("remove the old link end %s: %w", name, err)
		}
	}
	return nil
}
