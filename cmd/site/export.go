package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/pmvspo/site/build"
	"github.com/pmvspo/site/content"
	"github.com/pmvspo/site/export"
	"github.com/pmvspo/site/server"
)

// exportSite runs `site export [-base-url URL] [-content DIR] DIR`: the
// static part of the site, as the server would send it, into DIR.
func exportSite(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("site export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: site export [-base-url https://example.com] [-content DIR] OUTDIR")
		fs.PrintDefaults()
	}
	baseURL := fs.String("base-url", getenv("BASE_URL"), "public origin the export will be served at, as the server's -base-url (env BASE_URL)")
	contentDir := fs.String("content", getenv("CONTENT_DIR"), "export content from this folder instead of the embedded copy (env CONTENT_DIR)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	out := fs.Arg(0)
	if *baseURL == "" {
		*baseURL = build.DefaultOrigin
	} else if err := checkBaseURL(*baseURL); err != nil {
		fmt.Fprintln(stderr, "site export:", err)
		return 2
	}
	fsys, name, err := contentFS(*contentDir)
	if err != nil {
		fmt.Fprintln(stderr, "site export:", err)
		return 2
	}
	site, err := content.Load(fsys)
	if err != nil {
		fmt.Fprintf(stderr, "site export: content (%s) has errors:\n%v\n", name, err)
		return 1
	}
	// The site exactly as run serves it, with its features' routes.
	snap, err := build.Build(site, build.Options{Origin: *baseURL})
	if err != nil {
		fmt.Fprintln(stderr, "site export:", err)
		return 1
	}
	// The server compresses in the background and serves what is ready;
	// the export waits for every encoding, so each file gets its siblings.
	snap.Warm()
	<-snap.Compressed()
	snap.NotFound.Encode()
	h, err := server.New(snap, server.Options{Features: features})
	if err != nil {
		fmt.Fprintln(stderr, "site export:", err)
		return 1
	}
	var aliases []string
	for _, r := range snap.Redirects() {
		aliases = append(aliases, r.From)
	}
	res, err := export.Write(out, h, *baseURL, aliases...)
	if err != nil {
		fmt.Fprintln(stderr, "site", err)
		return 1
	}
	pages, bytes := 0, 0
	for _, f := range res.Files {
		if strings.HasSuffix(f.Name, "index.html") {
			pages++
		}
		bytes += f.Size
	}
	fmt.Fprintf(stdout, "%s: %d files (%d pages, %d bytes before compression) for %s, with .br and .gz siblings\n",
		out, len(res.Files), pages, bytes, strings.TrimSuffix(*baseURL, "/"))
	if len(res.Redirects) > 0 {
		fmt.Fprintf(stdout, "%d old addresses redirect to their pages (%s, for deploy/nginx/site.conf)\n", len(res.Redirects), export.RedirectsFile)
	}
	if len(res.Dynamic) > 0 {
		fmt.Fprintf(stdout, "left to the server (private responses): %s\n", strings.Join(res.Dynamic, " "))
	}
	return 0
}
