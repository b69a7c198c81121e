package server

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// clientAddrs works out the address a request comes from, for the rate
// limit and the access log alike: the TCP peer, or, when the peer is a
// trusted proxy, the nearest address in X-Forwarded-For that is not one.
// Each proxy appends the address it saw, so the chain is read from the
// right and only as far as it is trusted: addresses further left were
// written by the client and may be anything.
type clientAddrs struct {
	trusted []netip.Prefix
}

func newClientAddrs(prefixes []string) (clientAddrs, error) {
	var c clientAddrs
	for _, p := range prefixes {
		pre, err := netip.ParsePrefix(p)
		if err != nil {
			return c, fmt.Errorf("trusted proxy %q is not a CIDR prefix such as 10.0.0.0/8", p)
		}
		c.trusted = append(c.trusted, pre.Masked())
	}
	return c, nil
}

// of returns the client's address. It always has one: whatever cannot be
// resolved is keyed by the TCP peer, never by a constant that would put
// every such client into one shared bucket.
func (c clientAddrs) of(r *http.Request) string {
	peer := peerHost(r.RemoteAddr)
	if len(c.trusted) == 0 {
		return peer
	}
	addr, err := netip.ParseAddr(peer)
	if err != nil || !c.isTrusted(addr) {
		return peer
	}
	client := peer
	values := r.Header.Values("X-Forwarded-For")
	for i := len(values) - 1; i >= 0; i-- {
		rest := values[i]
		for rest != "" {
			item := rest
			if j := strings.LastIndexByte(rest, ','); j >= 0 {
				item, rest = rest[j+1:], rest[:j]
			} else {
				rest = ""
			}
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			a, err := netip.ParseAddr(item)
			if err != nil {
				return client // a trusted proxy wrote nonsense: keep the last hop it vouched for
			}
			a = a.Unmap()
			client = a.String()
			if !c.isTrusted(a) {
				return client
			}
		}
	}
	return client
}

func (c clientAddrs) isTrusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range c.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// peerHost is the host part of a RemoteAddr such as "192.0.2.1:5678" or
// "[2001:db8::1]:5678"; a RemoteAddr without a port is used whole.
func peerHost(remote string) string {
	if host, _, err := net.SplitHostPort(remote); err == nil {
		return host
	}
	return remote
}
