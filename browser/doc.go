// Package browser holds the tests that drive a real Chromium against the
// real site: layout at phone and desktop widths, light and dark schemes,
// FAQ links that open their answer, the assessment forms, and screenshots
// for people to look at. Debian's /usr/bin/chromium is used; nothing
// downloads a browser. Without Chromium the tests skip, unless
// BROWSER_TESTS=required (as in .ci/run), when they fail instead.
package browser
