package views

import "strings"

// splitLastWord splits name before its last word: head keeps the space
// that ends it, so head+last is name. A name of one word is all last.
func splitLastWord(name string) (head, last string) {
	i := strings.LastIndexByte(strings.TrimRight(name, " "), ' ')
	return name[:i+1], name[i+1:]
}
