// Command barehandler is the baseline for bench/load.sh: a plain
// net/http server whose one http.HandlerFunc writes a fixed body with fixed
// headers, with no router, middleware or logging. The body and headers are
// captured from the real site once (curl -D headers -o body), so the bytes
// on the wire match the real article response apart from the Date header.
//
//	barehandler -addr 127.0.0.1:9000 -body article.br -headers article.hdr
//
// The server uses the same timeouts as cmd/site so connection handling is
// the same; only the handler differs.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"log"
	"net/http"
	"net/textproto"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9000", "listen address")
	bodyFile := flag.String("body", "", "file holding the response body (required)")
	hdrFile := flag.String("headers", "", "file holding the response headers as `curl -D` writes them (required)")
	flag.Parse()
	if *bodyFile == "" || *hdrFile == "" {
		flag.Usage()
		os.Exit(2)
	}
	body, err := os.ReadFile(*bodyFile)
	if err != nil {
		log.Fatal(err)
	}
	raw, err := os.ReadFile(*hdrFile)
	if err != nil {
		log.Fatal(err)
	}
	hdr, err := parseHeaders(raw)
	if err != nil {
		log.Fatal(err)
	}
	hdr["Content-Length"] = []string{strconv.Itoa(len(body))}

	h := func(w http.ResponseWriter, _ *http.Request) {
		wh := w.Header()
		for k, v := range hdr {
			wh[k] = v
		}
		_, _ = w.Write(body)
	}
	srv := &http.Server{
		Addr:              *addr,
		Handler:           http.HandlerFunc(h),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
	}
	log.Fatal(srv.ListenAndServe())
}

// parseHeaders reads the header block of a `curl -D` dump: a status line,
// then Name: value lines. Date and Content-Length are dropped (net/http
// writes Date, and the length is taken from the body).
func parseHeaders(raw []byte) (http.Header, error) {
	tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(raw)))
	status, err := tp.ReadLine()
	if err != nil || !strings.HasPrefix(status, "HTTP/") {
		return nil, fmt.Errorf("headers: want a status line first, got %q", status)
	}
	mh, err := tp.ReadMIMEHeader()
	if err != nil && len(mh) == 0 {
		return nil, fmt.Errorf("headers: %w", err)
	}
	h := http.Header(mh)
	h.Del("Date")
	h.Del("Content-Length")
	return h, nil
}
