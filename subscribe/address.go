package subscribe

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// AddressError says, in the reader's words, what is wrong with an address.
type AddressError struct{ Msg string }

func (e *AddressError) Error() string { return e.Msg }

// Lengths from RFC 5321 §4.5.3.1: a local part of at most 64 octets, a
// domain of at most 255 (253 in its dotted form), and a path of 256
// including the angle brackets, so 254 for the address itself.
const (
	maxLocal   = 64
	maxDomain  = 253
	maxLabel   = 63
	maxAddress = 254
)

// idnaProfile converts internationalised domains (bücher.example) to the
// ASCII form mail servers use (xn--bcher-kva.example), checking them as
// RFC 5891 asks for names being looked up.
var idnaProfile = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.VerifyDNSLength(true), idna.StrictDomainName(true))

// NormalizeAddress checks an address as typed into the form and returns
// the form it is stored and mailed in: trimmed, lower-case, with an ASCII
// domain. It accepts the addresses people have (dot-atom local parts, as
// RFC 5322 §3.4.1 defines them, and any valid domain, internationalised or
// not) and refuses anything that could break a mail header: line breaks,
// control characters, angle brackets, commas, quotes.
func NormalizeAddress(typed string) (string, error) {
	s := strings.TrimSpace(typed)
	switch {
	case s == "":
		return "", &AddressError{"Enter your email address."}
	case !utf8.ValidString(s):
		return "", &AddressError{"That address has characters we cannot read. Type it again."}
	case strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }):
		return "", &AddressError{"An email address cannot contain spaces or line breaks."}
	}
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return "", &AddressError{"Enter an email address with an @, like name@example.com."}
	}
	local, domain := s[:at], s[at+1:]
	switch {
	case local == "":
		return "", &AddressError{"Enter the part before the @, like name@example.com."}
	case domain == "":
		return "", &AddressError{"Enter the part after the @, like name@example.com."}
	case len(local) > maxLocal:
		return "", &AddressError{"The part before the @ is too long: at most 64 characters."}
	case !dotAtom(local):
		return "", &AddressError{"The part before the @ can use letters a to z, digits and . ! # $ % & ' * + - / = ? ^ _ ` { | } ~ only, with no dot at the start, at the end or twice in a row."}
	}
	ascii, err := idnaProfile.ToASCII(domain)
	if err != nil || len(ascii) > maxDomain || !strings.Contains(ascii, ".") || !validLabels(ascii) {
		return "", &AddressError{"The part after the @ is not a domain name we can send to, like example.com."}
	}
	addr := strings.ToLower(local) + "@" + ascii
	if len(addr) > maxAddress {
		return "", &AddressError{"That address is too long: at most 254 characters."}
	}
	return addr, nil
}

// dotAtom reports whether s is an RFC 5322 dot-atom of ASCII atext.
func dotAtom(s string) bool {
	if strings.HasPrefix(s, ".") || strings.HasSuffix(s, ".") || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.':
		case strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// validLabels checks the ASCII domain's labels: letters, digits and
// hyphens, 1–63 octets, no hyphen at either end, and a top-level label that
// is not all digits (so an IP address is not taken for a domain).
func validLabels(d string) bool {
	labels := strings.Split(d, ".")
	for _, l := range labels {
		if l == "" || len(l) > maxLabel || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	return strings.Trim(tld, "0123456789") != ""
}
