package assess

import (
	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"
)

// resultCache keeps rendered result pages. The answer space is finite but
// large (millions of answer sets), so it is bounded by entries and evicts the
// least recently used; concurrent first requests for the same result share
// one render (45 colleagues opening one shared link render it once).
type resultCache[V any] struct {
	lru    *lru.Cache[string, V]
	flight singleflight.Group
	// record, when set, is told whether each lookup was a hit (the
	// site_result_cache metrics).
	record func(hit bool)
}

func newResultCache[V any](entries int) *resultCache[V] {
	c, err := lru.New[string, V](max(entries, 1))
	if err != nil {
		panic(err) // only for a size below 1, which max rules out
	}
	return &resultCache[V]{lru: c}
}

// get returns the cached value for key, or renders, stores and returns it.
// A failed render is not stored.
func (c *resultCache[V]) get(key string, render func() (V, error)) (V, error) {
	if v, ok := c.lru.Get(key); ok {
		c.recordHit(true)
		return v, nil
	}
	c.recordHit(false)
	v, err, _ := c.flight.Do(key, func() (any, error) {
		if v, ok := c.lru.Get(key); ok {
			return v, nil
		}
		v, err := render()
		if err != nil {
			return v, err
		}
		c.lru.Add(key, v)
		return v, nil
	})
	return v.(V), err
}

func (c *resultCache[V]) recordHit(hit bool) {
	if c.record != nil {
		c.record(hit)
	}
}

// len is the number of results held.
func (c *resultCache[V]) len() int { return c.lru.Len() }
