package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// serverCmdline is where healthcheck looks for the server's own arguments:
// in a container the server is process 1 and the health check runs beside it.
var serverCmdline = "/proc/1/cmdline"

// healthcheck asks the server on this machine whether it is alive. The
// container image has no shell or curl, so the binary checks itself. It
// reads the address as the server does (-addr, ADDR, PORT), starting from
// the server's own arguments when the server is process 1, so the
// container's HEALTHCHECK follows however the server was started; its own
// arguments come last and win.
func healthcheck(args []string, getenv func(string) string, stderr io.Writer) int {
	self, _ := os.Executable()
	all := append(serverArgs(serverCmdline, self), args...)
	cfg, err := parseConfig(all, getenv, io.Discard)
	if err != nil {
		fmt.Fprintln(stderr, "healthcheck:", err)
		return 1
	}
	host, port, err := net.SplitHostPort(cfg.addr)
	if err != nil {
		fmt.Fprintln(stderr, "healthcheck:", err)
		return 1
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1" // a name, or every address: ask over loopback
	}
	client := &http.Client{Timeout: 3 * time.Second}
	resp, err := client.Get("http://" + net.JoinHostPort(host, port) + "/healthz")
	if err != nil {
		fmt.Fprintln(stderr, "healthcheck:", err)
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintln(stderr, "healthcheck: status", resp.StatusCode)
		return 1
	}
	return 0
}

// serverArgs returns the flags the server process was started with, read
// from cmdline (NUL-separated, as in /proc), when that process runs the
// same program as self and serves (no subcommand). Otherwise nil.
func serverArgs(cmdline, self string) []string {
	b, err := os.ReadFile(cmdline)
	if err != nil || len(b) == 0 {
		return nil
	}
	argv := bytes.Split(bytes.TrimSuffix(b, []byte{0}), []byte{0})
	if filepath.Base(string(argv[0])) != filepath.Base(self) {
		return nil
	}
	var out []string
	for _, a := range argv[1:] {
		out = append(out, string(a))
	}
	if len(out) > 0 && len(out[0]) > 0 && out[0][0] != '-' {
		return nil // a subcommand such as check, not the server
	}
	return out
}
