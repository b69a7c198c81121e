// Command previewloop measures the editor's loop in `site preview`: from
// saving a file to the open tab showing the rebuilt page. It drives
// Debian's Chromium (chromedp), edits a content file n times and prints
// each edit → reloaded time and the median.
//
//	go run ./bench/cmd/previewloop -url http://127.0.0.1:18101/guides/pm-vs-po -file /tmp/pv/guides/pm-vs-po/guide.yaml
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"slices"
	"time"

	"github.com/chromedp/chromedp"
)

func main() {
	url := flag.String("url", "", "page to keep open")
	file := flag.String("file", "", "content file to edit (a newline is added and removed in turn)")
	n := flag.Int("n", 10, "number of edits")
	shot := flag.String("screenshot", "", "save a screenshot of the reloaded page here")
	flag.Parse()
	if *url == "" || *file == "" {
		log.Fatal("usage: previewloop -url URL -file FILE")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath("chromium"),
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.Flag("disable-quic", true), chromedp.WindowSize(1280, 900))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(*url)); err != nil {
		log.Fatal(err)
	}
	orig, err := os.ReadFile(*file)
	if err != nil {
		log.Fatal(err)
	}
	defer os.WriteFile(*file, orig, 0o644)
	var times []time.Duration
	for i := range *n {
		time.Sleep(300 * time.Millisecond) // let the event stream connect
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__old = true`)); err != nil {
			log.Fatal(err)
		}
		body := orig
		if i%2 == 0 {
			body = append(append([]byte{}, orig...), '\n')
		}
		start := time.Now()
		if err := os.WriteFile(*file, body, 0o644); err != nil {
			log.Fatal(err)
		}
		for {
			fresh, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__old === undefined && document.readyState === "complete"`))
			if err == nil && fresh {
				break
			}
			if time.Since(start) > 10*time.Second {
				log.Fatalf("edit %d: the tab did not reload within 10 s", i+1)
			}
			time.Sleep(2 * time.Millisecond)
		}
		// The page's own clock says when it finished loading, free of the
		// time chromedp takes to notice.
		loaded, err := chromedp.Run(ctx, chromedp.Evaluate[float64](
			`performance.timeOrigin + performance.getEntriesByType("navigation")[0].loadEventEnd`))
		if err != nil {
			log.Fatal(err)
		}
		d := time.UnixMicro(int64(loaded * 1000)).Sub(start)
		times = append(times, d)
		fmt.Printf("edit %2d at %s: reloaded after %v\n", i+1, start.UTC().Format("15:04:05.000"), d.Round(time.Millisecond))
	}
	slices.Sort(times)
	fmt.Printf("median edit -> reloaded: %v (min %v, max %v, %d edits)\n",
		times[len(times)/2].Round(time.Millisecond), times[0].Round(time.Millisecond), times[len(times)-1].Round(time.Millisecond), len(times))
	if *shot != "" {
		buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
		if err != nil {
			log.Fatal(err)
		}
		_ = os.WriteFile(*shot, buf, 0o644)
	}
}
