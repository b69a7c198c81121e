package mail

import (
	"context"
	"crypto/tls"
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pmvspo/site/subscribe/internal/smtptest"
)

const from = "Role Compass <news@example.com>"

var sample = Message{
	ID: "job-42", To: "ada@example.com", Subject: "Weekly: “PM vs PO” updated",
	Text:    "Plain text with a link: http://localhost/x\n",
	HTML:    "<p>HTML with a <a href=\"http://localhost/x\">link</a></p>",
	Headers: map[string]string{"List-Unsubscribe": "<http://localhost/u?token=t>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
}

// parts returns the text and HTML bodies of a multipart/alternative message.
func parts(t *testing.T, m *netmail.Message) (text, html string) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q, want multipart/alternative", m.Header.Get("Content-Type"))
	}
	r := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := r.NextPart() // decodes quoted-printable
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		switch ct {
		case "text/plain":
			text = string(b)
		case "text/html":
			html = string(b)
		}
	}
	return text, html
}

func checkMessage(t *testing.T, m *netmail.Message) {
	t.Helper()
	dec := new(mime.WordDecoder)
	subj, _ := dec.DecodeHeader(m.Header.Get("Subject"))
	if subj != sample.Subject {
		t.Errorf("Subject %q, want %q", subj, sample.Subject)
	}
	if got := m.Header.Get("Message-Id"); got != "<job-42@example.com>" {
		t.Errorf("Message-ID %q, want <job-42@example.com>", got)
	}
	if got := m.Header.Get("List-Unsubscribe"); got != sample.Headers["List-Unsubscribe"] {
		t.Errorf("List-Unsubscribe %q", got)
	}
	if got := m.Header.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post %q", got)
	}
	if _, err := m.Header.Date(); err != nil {
		t.Errorf("Date header: %v", err)
	}
	text, html := parts(t, m)
	if strings.ReplaceAll(text, "\r\n", "\n") != sample.Text || html != sample.HTML {
		t.Errorf("bodies:\ntext %q\nhtml %q", text, html)
	}
}

func trust(s *smtptest.Server) SMTPOption { return func(c *tls.Config) { c.RootCAs = s.Roots } }

func TestSMTPWithSTARTTLSAndCredentials(t *testing.T) {
	srv, err := smtptest.Start("127.0.0.1:18196")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	s, err := NewSMTP(srv.URL(), from, trust(srv))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), sample); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("server got %d messages, want 1", len(msgs))
	}
	if msgs[0].From != "news@example.com" || len(msgs[0].To) != 1 || msgs[0].To[0] != "ada@example.com" {
		t.Errorf("envelope from %q to %v", msgs[0].From, msgs[0].To)
	}
	checkMessage(t, msgs[0].Msg)
}

func TestSMTPS(t *testing.T) {
	srv, err := smtptest.StartImplicitTLS("127.0.0.1:18197")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	s, err := NewSMTP("smtps://"+smtptest.User+":"+smtptest.Password+"@"+srv.Addr, from, trust(srv))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), sample); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("server got %d messages", n)
	}
}

func TestSMTPRefusesWrongCredentialsAndUntrustedCertificate(t *testing.T) {
	srv, err := smtptest.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	bad, _ := NewSMTP("smtp://site:wrong@"+srv.Addr, from, trust(srv))
	if err := bad.Send(context.Background(), sample); err == nil {
		t.Error("wrong password: sent anyway")
	}
	untrusted, _ := NewSMTP(srv.URL(), from) // the system roots do not know the test CA
	if err := untrusted.Send(context.Background(), sample); err == nil {
		t.Error("untrusted certificate: sent anyway")
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("server accepted %d messages", n)
	}
}

func TestNewSMTPRejectsBadConfig(t *testing.T) {
	for _, c := range []struct{ url, from, want string }{
		{"http://host", from, "SMTP_URL must look like"},
		{"smtp://", from, "SMTP_URL must look like"},
		{"smtp://host:port", from, "SMTP_URL"},
		{"smtp://host", "not an address", "MAIL_FROM"},
		{"smtp://host", "a@b.example\r\nBcc: x@y", "one line"},
	} {
		_, err := NewSMTP(c.url, c.from)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewSMTP(%q, %q) = %v, want an error mentioning %q", c.url, c.from, err, c.want)
		}
	}
}

func TestDirWritesEML(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	if err := NewDir(dir, from, nil).Send(context.Background(), sample); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(files) != 1 {
		t.Fatalf("%d .eml files, want 1", len(files))
	}
	f, err := os.Open(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := netmail.ReadMessage(f)
	if err != nil {
		t.Fatalf("the .eml is not RFC 5322: %v", err)
	}
	checkMessage(t, m)
	if left, _ := filepath.Glob(filepath.Join(dir, "*.tmp")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestHeaderInjectionInRecipientRefused(t *testing.T) {
	m := sample
	m.To = "ada@example.com\r\nBcc: victim@example.com"
	if err := WriteTo(io.Discard, m, from); err == nil {
		t.Fatal("a recipient with CR/LF was accepted")
	}
}
