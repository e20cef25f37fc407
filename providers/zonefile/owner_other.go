//go:build !unix

package zonefile

import (
	"io/fs"
	"os"
)

// fileOwner is the user and group a file belongs to; none here.
type fileOwner struct{}

// ownerOf returns nil: this system has no owners zonesync keeps.
func ownerOf(fs.FileInfo) *fileOwner { return nil }

// keepOwner has nothing to keep on this system.
func keepOwner(*os.File, *fileOwner) error { return nil }
