package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// checkListenAddr accepts host:port with a decimal port from 0 (any free
// port) to 65535. from names where the value came from (-addr, ADDR, PORT),
// so the message points at the setting to fix.
func checkListenAddr(from, addr string) error {
	if from == "" {
		from = "-addr"
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		if from == "PORT" {
			return fmt.Errorf("PORT=%q is not a port number from 1 to 65535", strings.TrimPrefix(addr, ":"))
		}
		return fmt.Errorf("%s %q is not a listen address such as :8080 or 127.0.0.1:8080", from, addr)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 || (from == "PORT" && n == 0) {
		if from == "PORT" {
			return fmt.Errorf("PORT=%q is not a port number from 1 to 65535", port)
		}
		return fmt.Errorf("%s %q: the port must be a number from 0 to 65535, not %q", from, addr, port)
	}
	return nil
}

// samePort reports whether two listen addresses use the same non-zero port.
// Different hosts on one port may still overlap (":9090" covers every
// address), so the admin listener is simply kept off the public port.
func samePort(a, b string) bool {
	_, pa, _ := net.SplitHostPort(a)
	_, pb, _ := net.SplitHostPort(b)
	return pa == pb && pa != "0"
}

// parseProxies reads the comma-separated trusted-proxy prefixes. A prefix
// that covers every address (0.0.0.0/0, ::/0) lets any client choose the
// address it is rate-limited and logged under, so it needs trustAll.
func parseProxies(list string, trustAll bool) ([]string, error) {
	var out []string
	for _, p := range strings.Split(list, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			return nil, fmt.Errorf("-trusted-proxies: %q is not a CIDR prefix such as 10.0.0.0/8", p)
		}
		if prefix.Bits() == 0 && !trustAll {
			return nil, fmt.Errorf("-trusted-proxies: %s trusts every address, so any client could name its own address in X-Forwarded-For "+
				"(and with it its rate limit and its log lines); list your proxies' prefixes, or add -trust-all-proxies "+
				"(TRUST_ALL_PROXIES=true) if no client can reach this server except through a proxy", p)
		}
		out = append(out, p)
	}
	return out, nil
}

// checkBaseURL accepts a lower-case http(s) origin: scheme://host[:port],
// optionally with one trailing slash. Anything else would end up in every
// canonical link, share link and sitemap entry.
func checkBaseURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Hostname() == "" || (u.Path != "" && u.Path != "/") ||
		u.RawPath != "" || u.Opaque != "" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("-base-url must be an origin such as https://example.com, not %q", s)
	}
	if s != strings.ToLower(s) {
		return fmt.Errorf("-base-url must be lower case, as browsers and search engines write it: %q, not %q", strings.ToLower(s), s)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("-base-url %q: the port must be a number from 1 to 65535", s)
		}
	}
	return nil
}

// logAttrs is the effective configuration for the start-up log line. Every
// URL goes through redactURL; secrets (passwords, tokens) are never listed.
func (c config) logAttrs() []any {
	return []any{
		slog.String("addr", c.addr),
		slog.String("admin_addr", c.adminAddr),
		slog.String("base_url", redactURL(c.baseURL)),
		slog.String("content", c.contentDir),
		slog.String("log", c.logFormat),
		slog.Any("trusted_proxies", c.proxies),
		slog.Bool("trust_all_proxies", c.trustAllProxies),
		slog.Int("submits_per_minute", c.submits),
		slog.String("drain_delay", c.drainDelay.String()),
		slog.String("shutdown_timeout", c.shutdown.String()),
	}
}

// redactURL hides the password of a URL's credentials (and a query, which
// may carry a token), so a configured URL can be logged.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		if strings.Contains(s, "@") {
			return "(unparsable URL, not logged)"
		}
		return s
	}
	if u.RawQuery != "" {
		u.RawQuery = "redacted"
	}
	return u.Redacted()
}

// envBool reads true/false (or 1/0) from the environment; anything else is
// recorded in bad, so start-up fails instead of guessing.
func envBool(getenv func(string) string, key string, bad *[]string) bool {
	v := getenv(key)
	if v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		*bad = append(*bad, fmt.Sprintf("%s=%q is not true or false", key, v))
	}
	return b
}
