package spec

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// slashInFileName is how a '/' of a zone name is written in its spec's
// file name: RFC 2317 classless reverse zones (0/26.2.0.192.in-addr.arpa)
// have one, and a file name cannot. '%' is in no valid zone name, so the
// mapping reads back without doubt.
const slashInFileName = "%2F"

// SpecFileName is the file name of a zone's spec: the zone name and .yaml,
// with a '/' written %2F (0%2F26.2.0.192.in-addr.arpa.yaml).
func SpecFileName(zone string) string {
	return strings.ReplaceAll(zone, "/", slashInFileName) + ".yaml"
}

// ZoneOfSpecFile is the zone a spec file's name stands for: its base name
// without .yaml or .yml, %2F (in either case) read as '/'.
func ZoneOfSpecFile(path string) string {
	base := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(path), ".yaml"), ".yml")
	return strings.ReplaceAll(strings.ReplaceAll(base, slashInFileName, "/"), strings.ToLower(slashInFileName), "/")
}

// SpecFiles lists the zone spec files of a directory, sorted.
func SpecFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read zones directory: %w", err)
	}
	var files []string
	for _, e := range entries {
		n := e.Name()
		if !(strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml")) || strings.HasPrefix(n, ".") {
			continue
		}
		regular, err := specEntry(dir, e)
		if err != nil {
			return nil, err
		}
		if regular {
			files = append(files, filepath.Join(dir, n))
		}
	}
	return files, nil
}

// specEntry reports whether a directory entry is a spec file: a regular
// file, or a symbolic link to one. A link to nothing is an error, so that
// a zone's spec never goes missing silently.
func specEntry(dir string, e os.DirEntry) (bool, error) {
	if e.Type()&os.ModeSymlink == 0 {
		return e.Type().IsRegular(), nil
	}
	path := filepath.Join(dir, e.Name())
	info, err := os.Stat(path)
	if err != nil {
		target, _ := os.Readlink(path)
		return false, fmt.Errorf("zone spec %s is a symbolic link to %s, which cannot be read: %w", path, target, err)
	}
	return info.Mode().IsRegular(), nil
}
