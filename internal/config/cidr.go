package config

import (
	"fmt"
	"math/big"
	"net/netip"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// cidrhost and cidrsubnet follow Terraform's functions of the same names.
// An unknown argument (an auto subnet not yet allocated) makes the result
// unknown: cty does that for every parameter that does not AllowUnknown.

var cidrHostFunc = function.New(&function.Spec{
	Description: "Returns the address with the given host number in a CIDR prefix; negative numbers count from the end.",
	Params: []function.Parameter{
		{Name: "prefix", Type: cty.String},
		{Name: "hostnum", Type: cty.Number},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		p, err := parsePrefix(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), function.NewArgError(0, err)
		}
		num, err := bigInt(args[1])
		if err != nil {
			return cty.UnknownVal(cty.String), function.NewArgError(1, err)
		}
		hostBits := uint(p.Addr().BitLen() - p.Bits())
		size := new(big.Int).Lsh(big.NewInt(1), hostBits)
		if num.Sign() < 0 {
			num.Add(num, size)
		}
		if num.Sign() < 0 || num.Cmp(size) >= 0 {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(1,
				"prefix %s has no host number %s; it holds %s addresses", p, args[1].AsBigFloat().Text('f', 0), size)
		}
		addr, err := addOffset(p.Addr(), num)
		if err != nil {
			return cty.UnknownVal(cty.String), function.NewArgError(1, err)
		}
		return cty.StringVal(addr.String()), nil
	},
})

var cidrSubnetFunc = function.New(&function.Spec{
	Description: "Returns a subnet of a CIDR prefix: newbits extra prefix bits, netnum selecting which one.",
	Params: []function.Parameter{
		{Name: "prefix", Type: cty.String},
		{Name: "newbits", Type: cty.Number},
		{Name: "netnum", Type: cty.Number},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		p, err := parsePrefix(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), function.NewArgError(0, err)
		}
		newBits, err := bigInt(args[1])
		if err != nil {
			return cty.UnknownVal(cty.String), function.NewArgError(1, err)
		}
		total := p.Addr().BitLen()
		if newBits.Sign() < 0 || newBits.Cmp(big.NewInt(int64(total-p.Bits()))) > 0 {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(1,
				"cannot add %s bits to prefix %s: it has only %d bits left", newBits, p, total-p.Bits())
		}
		length := p.Bits() + int(newBits.Int64())
		num, err := bigInt(args[2])
		if err != nil {
			return cty.UnknownVal(cty.String), function.NewArgError(2, err)
		}
		count := new(big.Int).Lsh(big.NewInt(1), uint(newBits.Int64()))
		if num.Sign() < 0 || num.Cmp(count) >= 0 {
			return cty.UnknownVal(cty.String), function.NewArgErrorf(2,
				"prefix %s split by %s bits has no network number %s; it has %s", p, newBits, num, count)
		}
		offset := new(big.Int).Lsh(num, uint(total-length))
		addr, err := addOffset(p.Addr(), offset)
		if err != nil {
			return cty.UnknownVal(cty.String), function.NewArgError(2, err)
		}
		return cty.StringVal(netip.PrefixFrom(addr, length).String()), nil
	},
})

func parsePrefix(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not a CIDR prefix like \"10.0.0.0/24\"", s)
	}
	return p.Masked(), nil
}

func bigInt(v cty.Value) (*big.Int, error) {
	bf := v.AsBigFloat()
	if !bf.IsInt() {
		return nil, fmt.Errorf("%s is not a whole number", bf.Text('f', -1))
	}
	i, _ := bf.Int(nil)
	return i, nil
}

// addOffset adds off to the network address a.
func addOffset(a netip.Addr, off *big.Int) (netip.Addr, error) {
	base := new(big.Int).SetBytes(a.AsSlice())
	base.Add(base, off)
	buf := make([]byte, a.BitLen()/8)
	if base.BitLen() > len(buf)*8 {
		return netip.Addr{}, fmt.Errorf("the address is out of range")
	}
	base.FillBytes(buf)
	out, _ := netip.AddrFromSlice(buf)
	return out, nil
}
