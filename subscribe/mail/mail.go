// Package mail turns a Message into an RFC 5322 email and delivers it: over
// SMTP (SMTP_URL: smtp:// with STARTTLS, smtps:// with TLS from the first
// byte, credentials in the URL) through github.com/wneessen/go-mail, or, with
// no SMTP server configured, as an .eml file in a folder, so a developer can
// open the confirmation link of a local subscription.
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	netmail "net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Message is one email, ready to send. It is what the queue stores, so it
// is plain data.
type Message struct {
	// ID makes the Message-ID header; the same email retried keeps it, so a
	// receiver can tell a retry from a second email.
	ID      string            `json:"id"`
	To      string            `json:"to"`
	Subject string            `json:"subject"`
	Text    string            `json:"text"`
	HTML    string            `json:"html,omitempty"`
	Headers map[string]string `json:"headers,omitempty"` // such as List-Unsubscribe
}

// Sender delivers messages.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// build makes the go-mail message: plain text first, HTML as the
// alternative, both UTF-8 quoted-printable.
func build(m Message, from string, domain string, date time.Time) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent(), gomail.WithEncoding(gomail.EncodingQP))
	if err := msg.From(from); err != nil {
		return nil, fmt.Errorf("MAIL_FROM %q: %w", from, err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("recipient %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetDateWithValue(date)
	if m.ID != "" {
		msg.SetMessageIDWithValue(m.ID + "@" + domain)
	}
	for k, v := range m.Headers {
		msg.SetGenHeader(gomail.Header(k), v)
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// fromDomain is the domain of the From address, for Message-IDs.
func fromDomain(from string) string {
	a, err := netmail.ParseAddress(from)
	if err != nil {
		return "localhost"
	}
	if _, d, ok := strings.Cut(a.Address, "@"); ok {
		return d
	}
	return "localhost"
}

// ParseFrom checks a MAIL_FROM value such as "Role Compass <news@example.com>".
func ParseFrom(from string) error {
	if strings.ContainsAny(from, "\r\n") {
		return errors.New("MAIL_FROM must be one line")
	}
	a, err := netmail.ParseAddress(from)
	if err != nil || !strings.Contains(a.Address, "@") {
		return fmt.Errorf("MAIL_FROM must be an address such as \"Role Compass <news@example.com>\", not %q", from)
	}
	return nil
}

// SMTP sends through an SMTP server.
type SMTP struct {
	from string
	opts []gomail.Option
	host string
}

// SMTPOption adjusts an SMTP sender; tests use it to trust their own CA.
type SMTPOption func(*tls.Config)

// NewSMTP reads an SMTP_URL: smtp://user:password@host:587 (STARTTLS is
// required), smtps://user:password@host:465 (TLS from the start). Without
// credentials no authentication is attempted.
func NewSMTP(rawURL, from string, tlsOpts ...SMTPOption) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" || (u.Scheme != "smtp" && u.Scheme != "smtps") {
		return nil, errors.New("SMTP_URL must look like smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465")
	}
	if err := ParseFrom(from); err != nil {
		return nil, err
	}
	host := u.Hostname()
	tlsConf := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	for _, o := range tlsOpts {
		o(tlsConf)
	}
	opts := []gomail.Option{gomail.WithTimeout(30 * time.Second), gomail.WithTLSConfig(tlsConf)}
	port := 587
	if u.Scheme == "smtps" {
		port = 465
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("SMTP_URL: port %q is not a number", p)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if u.User != nil {
		pass, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pass))
	}
	return &SMTP{from: from, opts: opts, host: host}, nil
}

// Send connects, sends one message and disconnects. Emails go out at most
// weekly per reader, so a connection per message is simple and enough.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg, err := build(m, s.from, fromDomain(s.from), time.Now())
	if err != nil {
		return err
	}
	c, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return err
	}
	return c.DialAndSendWithContext(ctx, msg)
}

// Dir writes each message as an .eml file (RFC 5322) and logs its path.
type Dir struct {
	dir  string
	from string
	log  *slog.Logger
}

// NewDir writes into dir, creating it when needed.
func NewDir(dir, from string, log *slog.Logger) *Dir {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Dir{dir: dir, from: from, log: log}
}

// Send writes the message to a new file. The name holds the time and the
// message id, so files sort in the order they were sent.
func (d *Dir) Send(_ context.Context, m Message) error {
	msg, err := build(m, d.from, fromDomain(d.from), time.Now())
	if err != nil {
		return err
	}
	if err := os.MkdirAll(d.dir, 0o750); err != nil {
		return err
	}
	name := time.Now().UTC().Format("20060102T150405.000000000Z") + "-" + safeName(m.ID) + ".eml"
	path := filepath.Join(d.dir, name)
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	if _, err := msg.WriteTo(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	// Rename makes the file appear whole or not at all.
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	d.log.Info("email written", "path", path, "to", m.To, "subject", m.Subject)
	return nil
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '_'
	}, s)
}

// WriteTo writes m as an RFC 5322 message; tests and previews use it.
func WriteTo(w io.Writer, m Message, from string) error {
	msg, err := build(m, from, fromDomain(from), time.Now())
	if err != nil {
		return err
	}
	_, err = msg.WriteTo(w)
	return err
}
