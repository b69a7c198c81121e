//go:build !unix

package build_test

import "time"

// processCPU is not measured here; the benchmarks then report 0 cpu-ms.
func processCPU() time.Duration { return 0 }
