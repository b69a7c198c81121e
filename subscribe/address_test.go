package subscribe

import (
	"strings"
	"testing"
)

func TestNormalizeAddress(t *testing.T) {
	ok := []struct{ in, want string }{
		{"ada@example.com", "ada@example.com"},
		{"  Ada.Lovelace+news@Example.COM \n", "ada.lovelace+news@example.com"},
		{"o'brien@example.ie", "o'brien@example.ie"},
		{"user@bücher.example", "user@xn--bcher-kva.example"},
		{"user@ＥＸＡＭＰＬＥ.com", "user@example.com"}, // full-width letters map to ASCII
		{"x@" + strings.Repeat("a", 63) + ".com", "x@" + strings.Repeat("a", 63) + ".com"},
		{strings.Repeat("l", 64) + "@example.com", strings.Repeat("l", 64) + "@example.com"},
	}
	for _, c := range ok {
		got, err := NormalizeAddress(c.in)
		if err != nil || got != c.want {
			t.Errorf("NormalizeAddress(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	// 254 characters exactly is allowed, 255 is not.
	long := strings.Repeat("l", 64) + "@" + strings.Repeat("d", 60) + "." + strings.Repeat("d", 60) + "." + strings.Repeat("d", 60) + "." + strings.Repeat("d", 2) + ".com"
	if len(long) != 254 {
		t.Fatalf("test address is %d long", len(long))
	}
	if _, err := NormalizeAddress(long); err != nil {
		t.Errorf("254-character address refused: %v", err)
	}

	bad := []struct{ in, want string }{
		{"", "Enter your email address"},
		{"   ", "Enter your email address"},
		{"ada.example.com", "with an @"},
		{"@example.com", "before the @"},
		{"ada@", "after the @"},
		{"ada@example.com\r\nBcc: victim@example.com", "spaces or line breaks"},
		{"ada@example.com\nX-Injected: yes", "spaces or line breaks"},
		{"ada lovelace@example.com", "spaces or line breaks"},
		{"ada\x00@example.com", "spaces or line breaks"},
		{"Ada <ada@example.com>", "spaces or line breaks"},
		{"<ada@example.com>", "before the @ can use"},
		{"ada,bob@example.com", "before the @ can use"},
		{"\"ada\"@example.com", "before the @ can use"},
		{".ada@example.com", "before the @ can use"},
		{"ada.@example.com", "before the @ can use"},
		{"a..da@example.com", "before the @ can use"},
		{"adä@example.com", "before the @ can use"},
		{strings.Repeat("l", 65) + "@example.com", "at most 64"},
		{"ada@localhost", "domain name"},
		{"ada@example..com", "domain name"},
		{"ada@-example.com", "domain name"},
		{"ada@exa_mple.com", "domain name"},
		{"ada@[127.0.0.1]", "domain name"},
		{"ada@127.0.0.1", "domain name"},
		{"ada@" + strings.Repeat("a", 64) + ".com", "domain name"},
		{"ada@" + strings.Repeat(strings.Repeat("a", 63)+".", 4) + "com", "domain name"},
		{strings.Repeat("l", 64) + "@" + strings.Repeat("d", 60) + "." + strings.Repeat("d", 60) + "." + strings.Repeat("d", 60) + "." + strings.Repeat("d", 3) + ".com", "at most 254"},
		{"ada@example.com\xff", "cannot read"},
	}
	for _, c := range bad {
		got, err := NormalizeAddress(c.in)
		if err == nil {
			t.Errorf("NormalizeAddress(%q) = %q, want an error", c.in, got)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("NormalizeAddress(%q): %q, want a message containing %q", c.in, err, c.want)
		}
	}
}

func FuzzNormalizeAddress(f *testing.F) {
	for _, s := range []string{"ada@example.com", "user@bücher.example", "a\r\n@b.c", "x@y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		addr, err := NormalizeAddress(s)
		if err != nil {
			return
		}
		if strings.ContainsAny(addr, "\r\n\x00<>,\" ") || len(addr) > maxAddress || strings.Count(addr, "@") != 1 {
			t.Fatalf("NormalizeAddress(%q) = %q, which is not safe in a header", s, addr)
		}
		if again, err := NormalizeAddress(addr); err != nil || again != addr {
			t.Fatalf("not idempotent: %q -> %q -> %q, %v", s, addr, again, err)
		}
	})
}
