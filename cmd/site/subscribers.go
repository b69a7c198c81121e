package main

import (
	"context"
	"io"

	"github.com/pmvspo/site/subscribe"
)

// subscribers runs "site subscribers export" (CSV of every subscriber to
// standard output) and "site subscribers delete EMAIL" (erase one person),
// on the server's -data folder or DATABASE_URL.
func subscribers(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	return subscribe.Command(context.Background(), args, getenv, stdout, stderr)
}
