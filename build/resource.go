package build

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"math/bits"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// Resource is a response body prepared once: its identity, gzip and brotli
// encodings and a strong ETag for each. Serving it costs a map lookup and a
// write; nothing is compressed per request.
type Resource struct {
	// Header values, built once: a request assigns them instead of
	// formatting and allocating its own. Each slice has len == cap, so a
	// later Header.Add appends to a copy, never to the shared array.
	ctypeH, cacheH []string
	// dispositionH, when set, is the Content-Disposition (a PDF's file name).
	dispositionH []string
	identity     variant

	// The encodings are computed once, by warm at start-up or by the first
	// request that wants them, whichever comes first. A variant with a nil
	// body is an encoding that would not have been smaller.
	compress   bool
	once       sync.Once
	gzipV, brV variant
}

// variant is one encoding of a resource with its ready-made headers.
type variant struct {
	body     []byte
	etag     string // quoted
	etagH    []string
	lengthH  []string
	encoding []string // nil for identity
}

func newVariant(body []byte, etag, encoding string) variant {
	v := variant{body: body, etag: `"` + etag + `"`}
	v.etagH = []string{v.etag}
	v.lengthH = []string{strconv.Itoa(len(body))}
	if encoding != "" {
		v.encoding = []string{encoding}
	}
	return v
}

var varyH = []string{"Accept-Encoding"}

// Cache policies. Pages may change with a deploy, so shared caches keep them
// briefly and revalidate; hashed assets never change.
const (
	CachePage      = "public, max-age=300, stale-while-revalidate=60"
	CacheImmutable = "public, max-age=31536000, immutable"
	CachePrivate   = "private, no-store"
	// CachePrivateResult lets a reader's own browser keep a result page but
	// keeps it out of shared caches: the address holds their answers.
	CachePrivateResult = "private, max-age=3600"
)

// minCompressSize is below what compression saves anything.
const minCompressSize = 512

func NewResource(body []byte, ctype, cacheControl string) *Resource {
	r := PlainResource(body, ctype, cacheControl)
	r.compress = len(body) >= minCompressSize
	return r
}

// windowBits is the smallest brotli window (2^bits bytes) that holds n bytes,
// within brotli's limits of 10 to 24 bits.
func windowBits(n int) int {
	return min(max(bits.Len(uint(n)), 10), 24)
}

// Encode computes the compressed encodings, once.
func (r *Resource) Encode() {
	r.once.Do(r.compressNow)
}

func (r *Resource) compressNow() {
	if !r.compress {
		return
	}
	body, etag := r.identity.body, strings.Trim(r.identity.etag, `"`)
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	_, _ = zw.Write(body)
	_ = zw.Close()
	// A window just larger than the body compresses as well as the default
	// 4 MB one, with a fraction of the memory (a 4 MB window costs hundreds
	// of MB at the best quality).
	var br bytes.Buffer
	bw := brotli.NewWriterOptions(&br, brotli.WriterOptions{Quality: brotli.BestCompression, LGWin: windowBits(len(body))})
	_, _ = bw.Write(body)
	_ = bw.Close()
	if gz.Len() < len(body) {
		r.gzipV = newVariant(gz.Bytes(), etag+"-gz", "gzip")
	}
	if br.Len() < len(body) {
		r.brV = newVariant(br.Bytes(), etag+"-br", "br")
	}
}

// PlainResource is a resource without compressed encodings, for responses
// built per request (error pages, results): compressing them would cost
// more than it saves.
func PlainResource(body []byte, ctype, cacheControl string) *Resource {
	sum := sha256.Sum256(body)
	return &Resource{ctypeH: []string{ctype}, cacheH: []string{cacheControl},
		identity: newVariant(body, hex.EncodeToString(sum[:8]), "")}
}

// Serve writes the resource with the encoding the client prefers, or 304
// when the client already has it.
func (res *Resource) Serve(w http.ResponseWriter, r *http.Request, status int) {
	res.Encode()
	v := &res.identity
	h := w.Header()
	haveGzip, haveBr := res.gzipV.body != nil, res.brV.body != nil
	if haveGzip || haveBr {
		h["Vary"] = varyH
		switch pickEncoding(r.Header.Get("Accept-Encoding"), haveBr, haveGzip) {
		case "br":
			v = &res.brV
		case "gzip":
			v = &res.gzipV
		}
	}
	h["Cache-Control"] = res.cacheH
	if status == http.StatusOK {
		h["Etag"] = v.etagH
		if etagMatch(r.Header.Get("If-None-Match"), v.etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	h["Content-Type"] = res.ctypeH
	if res.dispositionH != nil {
		h["Content-Disposition"] = res.dispositionH
	}
	if v.encoding != nil {
		h["Content-Encoding"] = v.encoding
	}
	h["Content-Length"] = v.lengthH
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(v.body)
	}
}

// pickEncoding chooses br, gzip or "" (identity) from an Accept-Encoding
// header, honouring q-values: "br;q=0" refuses brotli, and "*" stands only
// for codings the header does not name (RFC 9110, section 12.5.3).
func pickEncoding(header string, haveBr, haveGzip bool) string {
	named := map[string]float64{}
	star := -1.0
	for rest := header; rest != ""; {
		var part string
		part, rest, _ = strings.Cut(rest, ",")
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "" {
			continue
		}
		q := 1.0
		for params != "" {
			var p string
			p, params, _ = strings.Cut(params, ";")
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(strings.TrimSpace(k), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil {
					f = 0 // an unreadable weight refuses the coding
				}
				q = f
			}
		}
		if name == "x-gzip" {
			name = "gzip"
		}
		if name == "*" {
			star = q
			continue
		}
		named[name] = q
	}
	weight := func(coding string) float64 {
		if q, ok := named[coding]; ok {
			return q
		}
		return max(star, 0)
	}
	best, bestQ := "", 0.0
	if haveBr && weight("br") > bestQ {
		best, bestQ = "br", weight("br")
	}
	// Brotli wins a tie: it is smaller.
	if haveGzip && weight("gzip") > bestQ {
		best = "gzip"
	}
	return best
}

// etagMatch reports whether an If-None-Match header names etag (weak
// comparison, as RFC 9110 requires for If-None-Match).
func etagMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// warm compresses resources in the background, one worker per CPU, so the
// server can listen at once and still never compress on a request path
// after the first seconds.
func warm(resources []*Resource) {
	work := make(chan *Resource)
	for range runtime.GOMAXPROCS(0) {
		go func() {
			for r := range work {
				r.Encode()
			}
		}()
	}
	go func() {
		for _, r := range resources {
			work <- r
		}
		close(work)
	}()
}
