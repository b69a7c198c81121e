// Package smtptest runs a real SMTP server (github.com/emersion/go-smtp) in
// a test: STARTTLS with a certificate made for the test, AUTH PLAIN with a
// fixed user, and every accepted message kept for the test to read. It can
// go down and come back on the same port, and stall a delivery, for the
// fault tests.
package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"net/mail"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// User and Password are the only credentials the server accepts.
const (
	User     = "site"
	Password = "s3cret"
)

// Received is one accepted email.
type Received struct {
	From string
	To   []string
	Data []byte
	Msg  *mail.Message // parsed headers; Body is the raw body
}

// Server is a running SMTP server.
type Server struct {
	Addr string
	// Roots trusts the server's certificate.
	Roots *x509.CertPool

	tlsConf  *tls.Config
	implicit bool
	mu       sync.Mutex
	srv      *smtp.Server
	ln       net.Listener
	msgs     []Received
	stall    chan struct{} // when set, DATA waits on it
	inData   chan struct{} // signalled when a DATA starts
}

// Start listens on addr ("127.0.0.1:0" picks a port).
func Start(addr string) (*Server, error) {
	s := &Server{inData: make(chan struct{}, 100)}
	if err := s.makeCert(); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s.Addr = ln.Addr().String()
	s.serve(ln)
	return s, nil
}

// StartImplicitTLS is Start for smtps://: TLS from the first byte.
func StartImplicitTLS(addr string) (*Server, error) {
	s := &Server{inData: make(chan struct{}, 100), implicit: true}
	if err := s.makeCert(); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s.Addr = ln.Addr().String()
	s.serve(ln)
	return s, nil
}

func (s *Server) serve(ln net.Listener) {
	srv := smtp.NewServer(backend{s})
	srv.Domain = "localhost"
	srv.TLSConfig = s.tlsConf
	srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	s.mu.Lock()
	s.srv, s.ln = srv, ln
	s.mu.Unlock()
	if s.implicit {
		ln = tls.NewListener(ln, s.tlsConf)
	}
	go srv.Serve(ln)
}

// Stop closes the server: new connections are refused.
func (s *Server) Stop() {
	s.mu.Lock()
	srv, ln := s.srv, s.ln
	s.srv, s.ln = nil, nil
	s.mu.Unlock()
	if srv != nil {
		// Close the listener ourselves too: Serve may not have registered
		// it with the server yet.
		ln.Close()
		srv.Close()
	}
}

// Restart listens again on the same address.
func (s *Server) Restart() error {
	var ln net.Listener
	var err error
	for range 50 { // the port may linger for a moment
		if ln, err = net.Listen("tcp", s.Addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		return err
	}
	s.serve(ln)
	return nil
}

// Stall makes every DATA wait until the returned function is called.
func (s *Server) Stall() (release func()) {
	ch := make(chan struct{})
	s.mu.Lock()
	s.stall = ch
	s.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			s.stall = nil
			s.mu.Unlock()
			close(ch)
		})
	}
}

// DataStarted receives a value each time a client starts sending a message.
func (s *Server) DataStarted() <-chan struct{} { return s.inData }

// Messages returns what was accepted so far.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.msgs...)
}

// URL is the SMTP_URL that reaches this server with STARTTLS and credentials.
func (s *Server) URL() string { return "smtp://" + User + ":" + Password + "@" + s.Addr }

type backend struct{ s *Server }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s      *Server
	authed bool
	from   string
	to     []string
}

func (se *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (se *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != User || pass != Password {
			return errors.New("invalid credentials")
		}
		se.authed = true
		return nil
	}), nil
}

func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	if !se.authed {
		return &smtp.SMTPError{Code: 530, Message: "authentication required"}
	}
	se.from = from
	return nil
}

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	se.to = append(se.to, to)
	return nil
}

func (se *session) Data(r io.Reader) error {
	select {
	case se.s.inData <- struct{}{}:
	default:
	}
	se.s.mu.Lock()
	stall := se.s.stall
	se.s.mu.Unlock()
	if stall != nil {
		<-stall
		return &smtp.SMTPError{Code: 451, Message: "try again later"}
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return &smtp.SMTPError{Code: 554, Message: "not an RFC 5322 message: " + err.Error()}
	}
	se.s.mu.Lock()
	se.s.msgs = append(se.s.msgs, Received{From: se.from, To: se.to, Data: data, Msg: msg})
	se.s.mu.Unlock()
	return nil
}

func (se *session) Reset()        { se.from, se.to = "", nil }
func (se *session) Logout() error { return nil }

func (s *Server) makeCert() error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return err
	}
	s.Roots = x509.NewCertPool()
	s.Roots.AddCert(cert)
	s.tlsConf = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	return nil
}
