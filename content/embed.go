package content

import (
	"embed"
	"io/fs"
)

//go:embed guides
var embedded embed.FS

// Embedded is the content shipped inside the binary.
func Embedded() fs.FS { return embedded }
