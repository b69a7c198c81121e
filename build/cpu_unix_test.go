//go:build unix

package build_test

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the test process has used so far, user and
// system, on every core: unlike wall time it barely changes when other work
// shares the machine.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
