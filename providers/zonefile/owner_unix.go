//go:build unix

package zonefile

import (
	"io/fs"
	"os"
	"syscall"
)

// fileOwner is the user and group a file belongs to.
type fileOwner struct{ uid, gid int }

// ownerOf returns the owner of a file, or nil where the system has none.
func ownerOf(info fs.FileInfo) *fileOwner {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	return &fileOwner{int(st.Uid), int(st.Gid)}
}

// keepOwner gives f the owner o, when it differs: a zone file the server
// reads as its own user must stay readable by it. Only what differs is
// changed, so a user who owns the file needs no privilege.
func keepOwner(f *os.File, o *fileOwner) error {
	if o == nil {
		return nil
	}
	info, err := f.Stat()
	if err != nil {
		return err
	}
	now := ownerOf(info)
	if now == nil || *now == *o {
		return nil
	}
	uid, gid := -1, -1
	if now.uid != o.uid {
		uid = o.uid
	}
	if now.gid != o.gid {
		gid = o.gid
	}
	return f.Chown(uid, gid)
}
