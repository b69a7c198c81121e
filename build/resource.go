package build

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"math/bits"
	"net/http"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/andybalholm/brotli"
)

// Resource is a response body prepared once: its gzip and brotli encodings
// and a strong ETag for each. Serving it costs a map lookup and a write;
// nothing is compressed on a request's path.
//
// Compression happens in the background (Snapshot.Warm), gzip first for
// every resource, then brotli: until a resource's brotli is ready it is
// served as gzip, and until its gzip is ready, as identity, so no request
// ever waits. Once gzip is ready a large body's identity copy is dropped:
// two encodings serve every real client, and the rare client that accepts
// neither gets the gzip body decompressed as it is sent.
type Resource struct {
	// Header values, built once: a request assigns them instead of
	// formatting and allocating its own. Each slice has len == cap, so a
	// later Header.Add appends to a copy, never to the shared array.
	ctypeH, cacheH []string
	// dispositionH, when set, is the Content-Disposition (a PDF's file name).
	dispositionH []string
	// identityEtag and identityLen describe the identity body even after
	// it is dropped.
	identityEtag string
	identityH    []string // etag header
	identityLenH []string
	size         int // of the identity body

	identity atomic.Pointer[[]byte] // nil once dropped
	// gzipV and brV are set when computed; a variant with a nil body is an
	// encoding that would not have been smaller.
	gzipV, brV atomic.Pointer[variant]
	compress   bool
	// lazy, when set, makes the resource actually served on first use.
	lazy *lazyResource
}

// lazyResource is a resource made on first use, once: callers that come
// while it is being made wait for it, as with a singleflight.
type lazyResource struct {
	once sync.Once
	make func() (*Resource, error)
	res  *Resource
	err  error
}

func (l *lazyResource) get() (*Resource, error) {
	l.once.Do(func() {
		l.res, l.err = l.make()
		l.make = nil // let go of what it captured
	})
	return l.res, l.err
}

// LazyResource is a resource made by mk when it is first served (a guide's
// PDF), then kept. If mk fails, Serve panics with its error, every time,
// which the server's panic recovery logs and answers with a 500.
func LazyResource(mk func() (*Resource, error)) *Resource {
	return &Resource{lazy: &lazyResource{make: mk}}
}

// variant is one encoding of a resource with its ready-made headers.
type variant struct {
	body     []byte
	etag     string // quoted
	etagH    []string
	lengthH  []string
	encoding []string
}

func newVariant(body []byte, etag, encoding string) *variant {
	v := &variant{body: body, etag: `"` + etag + `"`}
	v.etagH = []string{v.etag}
	v.lengthH = []string{strconv.Itoa(len(body))}
	v.encoding = []string{encoding}
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

// keepIdentitySize is the size under which the identity body is kept after
// compression: small bodies cost little, and spare identity clients the
// decompression.
const keepIdentitySize = 2 << 10

// BrotliQuality is the brotli level of the background compression. Level
// 5 costs about twice gzip and saves 5-10 % over it; level 11 saves about
// 18 % but costs 60 times more CPU, which at 1,000 guides is minutes of
// both cores: not worth 1-2 KB on a 35 KB article.
const BrotliQuality = 5

// NewResource is a body that will be compressed (by Snapshot.Warm).
func NewResource(body []byte, ctype, cacheControl string) *Resource {
	r := PlainResource(body, ctype, cacheControl)
	r.compress = len(body) >= minCompressSize
	return r
}

// Brotli's limits on the window, in bits.
const minWindowBits, maxWindowBits = 10, 24

// windowBits is the smallest brotli window (2^bits bytes) that holds n bytes,
// within brotli's limits.
func windowBits(n int) int {
	return min(max(bits.Len(uint(n)), minWindowBits), maxWindowBits)
}

// gzipNow computes the gzip encoding, then lets go of a large identity body.
func (r *Resource) gzipNow() {
	if !r.compress || r.gzipV.Load() != nil {
		return
	}
	body := *r.identity.Load()
	buf := scratch.Get().(*bytes.Buffer)
	defer putScratch(buf)
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(buf)
	_, _ = zw.Write(body)
	_ = zw.Close()
	gzipWriters.Put(zw)
	v := &variant{}
	if buf.Len() < len(body) {
		v = newVariant(bytes.Clone(buf.Bytes()), r.identityEtag+"-gz", "gzip")
	}
	r.gzipV.Store(v)
	if v.body != nil && len(body) >= keepIdentitySize {
		r.identity.Store(nil)
	}
}

// brotliNow computes the brotli encoding, from the identity body or, once
// that is dropped, from the gzip one.
func (r *Resource) brotliNow() {
	if !r.compress || r.brV.Load() != nil {
		return
	}
	var body []byte
	if b := r.identity.Load(); b != nil {
		body = *b
	} else {
		// Decompressed into a reused buffer: brotli is done with it when
		// brotliNow returns, and a new one per page was a copy of every
		// page's body in garbage.
		in := scratch.Get().(*bytes.Buffer)
		defer putScratch(in)
		in.Grow(r.size)
		body = r.gunzip(in.AvailableBuffer()[:r.size])
	}
	// A window just larger than the body compresses as well as the default
	// 4 MB one, with a fraction of the memory (a 4 MB window costs hundreds
	// of MB at the best quality).
	buf := scratch.Get().(*bytes.Buffer)
	defer putScratch(buf)
	pool := &brotliWriters[windowBits(len(body))-minWindowBits]
	bw, _ := pool.Get().(*brotli.Writer)
	if bw == nil {
		bw = brotli.NewWriterOptions(buf, brotli.WriterOptions{Quality: BrotliQuality, LGWin: windowBits(len(body))})
	} else {
		bw.Reset(buf)
	}
	_, _ = bw.Write(body)
	_ = bw.Close()
	pool.Put(bw)
	v := &variant{}
	if buf.Len() < len(body) {
		v = newVariant(bytes.Clone(buf.Bytes()), r.identityEtag+"-br", "br")
	}
	r.brV.Store(v)
}

// Compressors are reused: a new gzip writer allocates about 1 MB and a
// brotli one a few hundred KB of tables, which over thousands of pages
// made gigabytes of garbage and held the process's memory high. Brotli
// writers are pooled by window size, which fixes their tables.
var (
	gzipWriters = sync.Pool{New: func() any {
		zw, _ := gzip.NewWriterLevel(io.Discard, gzip.DefaultCompression)
		return zw
	}}
	gzipReaders   sync.Pool // *gzip.Reader
	brotliWriters [maxWindowBits - minWindowBits + 1]sync.Pool
	// scratch holds the output of one compression, copied out at its exact
	// size: a buffer grown by doubling keeps up to half its bytes unused.
	scratch = sync.Pool{New: func() any { return new(bytes.Buffer) }}
)

// putScratch returns a buffer to the pool, unless it grew unusually large.
func putScratch(b *bytes.Buffer) {
	if b.Cap() <= 4<<20 {
		b.Reset()
		scratch.Put(b)
	}
}

// gunzip decompresses the gzip body into out, which holds the identity
// body's size.
func (r *Resource) gunzip(out []byte) []byte {
	zr, _ := gzipReaders.Get().(*gzip.Reader)
	var err error
	if zr == nil {
		zr, err = gzip.NewReader(bytes.NewReader(r.gzipV.Load().body))
	} else {
		err = zr.Reset(bytes.NewReader(r.gzipV.Load().body))
	}
	if err == nil {
		_, err = io.ReadFull(zr, out)
	}
	if err != nil {
		panic(err) // our own gzip output
	}
	gzipReaders.Put(zr)
	return out
}

// GzipSize is the size of the gzip body, computing it if need be, or of
// the body itself where gzip would not be smaller (or is not used).
func (r *Resource) GzipSize() int {
	r.gzipNow()
	if v := r.gzipV.Load(); v != nil && v.body != nil {
		return len(v.body)
	}
	return r.size
}

// Encode computes every encoding now, for tests and benchmarks that need
// them ready.
func (r *Resource) Encode() {
	r.gzipNow()
	r.brotliNow()
}

// PlainResource is a resource without compressed encodings, for responses
// built per request (error pages, results) and for the preview: compressing
// them would cost more than it saves.
func PlainResource(body []byte, ctype, cacheControl string) *Resource {
	sum := sha256.Sum256(body)
	etag := hex.EncodeToString(sum[:8])
	r := &Resource{ctypeH: []string{ctype}, cacheH: []string{cacheControl},
		identityEtag: etag, identityH: []string{`"` + etag + `"`}, identityLenH: []string{strconv.Itoa(len(body))}, size: len(body)}
	r.identity.Store(&body)
	return r
}

// Serve writes the resource with the encoding the client prefers among
// those ready, or 304 when the client already has it.
func (res *Resource) Serve(w http.ResponseWriter, r *http.Request, status int) {
	if res.lazy != nil {
		made, err := res.lazy.get()
		if err != nil {
			panic(err)
		}
		made.Serve(w, r, status)
		return
	}
	h := w.Header()
	var v *variant
	if res.compress {
		h["Vary"] = varyH
		gz, br := res.gzipV.Load(), res.brV.Load()
		haveGzip, haveBr := gz != nil && gz.body != nil, br != nil && br.body != nil
		if haveGzip || haveBr {
			// r.Header's names are canonical (net/http, Header.Set); Get
			// would canonicalise the key again on every request.
			switch pickEncoding(headerValue(r.Header, "Accept-Encoding"), haveBr, haveGzip) {
			case "br":
				v = br
			case "gzip":
				v = gz
			}
		}
	}
	etag, etagH, lengthH := res.identityEtag, res.identityH, res.identityLenH
	if v != nil {
		etag, etagH, lengthH = v.etag, v.etagH, v.lengthH
	} else {
		etag = `"` + etag + `"`
	}
	h["Cache-Control"] = res.cacheH
	if status == http.StatusOK {
		h["Etag"] = etagH
		if etagMatch(headerValue(r.Header, "If-None-Match"), etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	h["Content-Type"] = res.ctypeH
	if res.dispositionH != nil {
		h["Content-Disposition"] = res.dispositionH
	}
	if v != nil {
		h["Content-Encoding"] = v.encoding
	}
	h["Content-Length"] = lengthH
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	if v != nil {
		_, _ = w.Write(v.body)
		return
	}
	if b := res.identity.Load(); b != nil {
		_, _ = w.Write(*b)
		return
	}
	// A client that accepts no compression, once the identity copy is gone.
	zr, err := gzip.NewReader(bytes.NewReader(res.gzipV.Load().body))
	if err == nil {
		_, _ = io.Copy(w, zr)
	}
}

// pickEncoding chooses br, gzip or "" (identity) from an Accept-Encoding
// header, honouring q-values: "br;q=0" refuses brotli, and "*" stands only
// for codings the header does not name (RFC 9110, section 12.5.3).
func pickEncoding(header string, haveBr, haveGzip bool) string {
	// The weights of br, gzip and *; -1 while the header does not name them.
	qBr, qGzip, star := -1.0, -1.0, -1.0
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
		switch name {
		case "br":
			qBr = q
		case "gzip", "x-gzip":
			qGzip = q
		case "*":
			star = q
		}
	}
	weight := func(q float64) float64 {
		if q >= 0 {
			return q
		}
		return max(star, 0)
	}
	best, bestQ := "", 0.0
	if haveBr && weight(qBr) > bestQ {
		best, bestQ = "br", weight(qBr)
	}
	// Brotli wins a tie: it is smaller.
	if haveGzip && weight(qGzip) > bestQ {
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

// warm compresses resources in the background, one worker per CPU: gzip
// for every resource first (cheap, and it lets the identity copies go),
// then brotli. The server listens at once and never compresses on a
// request's path. done is closed when every resource is compressed.
func warm(resources []*Resource, done chan<- struct{}) {
	go func() {
		for _, pass := range []func(*Resource){(*Resource).gzipNow, (*Resource).brotliNow} {
			work := make(chan *Resource)
			var wg sync.WaitGroup
			for range runtime.GOMAXPROCS(0) {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for r := range work {
						pass(r)
					}
				}()
			}
			for _, r := range resources {
				work <- r
			}
			close(work)
			wg.Wait()
		}
		// The identity copies of large bodies are gone now, and with them
		// most of what the build held (at 1,000 guides, ~300 MB of a ~600
		// MB peak). Hand that memory back to the system once, rather than
		// keep it until the runtime's background scavenger gets to it.
		debug.FreeOSMemory()
		close(done)
	}()
}

// headerValue is h.Get(key) for a key in canonical form.
func headerValue(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}
