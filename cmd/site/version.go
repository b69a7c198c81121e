package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// stamp is set by builds that have no Git checkout to read, such as the
// container build (see Dockerfile): -ldflags=-X=main.stamp=VERSION,REVISION,TIME.
// A Go build from a checkout leaves it empty and the build info says it all.
var stamp string

// buildVersion is what the binary knows about the source it was built from.
type buildVersion struct {
	Version  string // the module version: a tag, a pseudo-version, or (devel)
	Revision string // the VCS commit
	Time     string // the commit time, RFC 3339
	Modified bool   // the checkout had uncommitted changes
	Go       string // the toolchain
}

func readVersion() buildVersion {
	v := buildVersion{Version: "(devel)", Go: runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			v.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				v.Revision = s.Value
			case "vcs.time":
				v.Time = s.Value
			case "vcs.modified":
				v.Modified = s.Value == "true"
			}
		}
	}
	if stamp != "" {
		parts := strings.SplitN(stamp, ",", 3)
		for len(parts) < 3 {
			parts = append(parts, "")
		}
		if parts[0] != "" {
			v.Version = parts[0]
		}
		v.Revision, v.Time = parts[1], parts[2]
	}
	return v
}

func (v buildVersion) String() string {
	rev := v.Revision
	if rev == "" {
		rev = "unknown"
	}
	if v.Modified {
		rev += " (modified)"
	}
	t := v.Time
	if t == "" {
		t = "unknown"
	}
	return fmt.Sprintf("site %s\nrevision %s\ntime     %s\n%s\n", v.Version, rev, t, v.Go)
}
