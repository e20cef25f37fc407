package bench

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
)

// EstateZone is the name of the z-th zone of a generated estate.
func EstateZone(z int) string { return fmt.Sprintf("z%05d.example", z) }

// EstateChanged reports whether the estate's i-th record set (counted over
// every zone) differs between spec and live zone: 3 sets in every 100,
// spread over the zones rather than bunched in a few.
func EstateChanged(i, percent int) bool { return i*37%100 < percent }

// GenerateEstate writes a project of many small zones on the zonefile
// provider into dir: zonesync.yaml, zones/<zone>.yaml and
// live/<zone>.zone for each of zones zones of sets record sets, percent of
// which (0..100, spread as EstateChanged says) have another value live, so
// that the plan updates them.
func GenerateEstate(dir string, zones, sets, percent int) error {
	for _, d := range []string{"zones", "live"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return err
		}
	}
	cfg := "providers:\n  local:\n    type: zonefile\n    directory: ./live\nzones: zones/\nsafety:\n  max_delete_percent: 100\n  max_update_percent: 100\n"
	if err := os.WriteFile(filepath.Join(dir, "zonesync.yaml"), []byte(cfg), 0o644); err != nil {
		return err
	}
	for z := 0; z < zones; z++ {
		if err := writeEstateZone(dir, z, sets, percent); err != nil {
			return err
		}
	}
	return nil
}

func writeEstateZone(dir string, z, sets, percent int) error {
	name := EstateZone(z)
	specFile, err := os.Create(filepath.Join(dir, "zones", name+".yaml"))
	if err != nil {
		return err
	}
	defer specFile.Close()
	liveFile, err := os.Create(filepath.Join(dir, "live", name+".zone"))
	if err != nil {
		return err
	}
	defer liveFile.Close()
	spec, live := bufio.NewWriter(specFile), bufio.NewWriter(liveFile)
	fmt.Fprintf(spec, "zone: %s\nprovider: local\nttl: 3600\nrecords:\n", name)
	fmt.Fprintf(live, "$ORIGIN %s.\n@ 3600 IN SOA ns1.%s. hostmaster.%s. 2026010100 7200 3600 1209600 3600\n", name, name, name)
	for k := 0; k < sets; k++ {
		i := z*sets + k
		host, rrtype, values := recordSet(i)
		writeSpecSet(spec, Flow, host, rrtype, values)
		if EstateChanged(i, percent) {
			values = []string{liveValue(rrtype, i+7)}
		}
		for _, v := range values {
			fmt.Fprintf(live, "%s 3600 IN %s %s\n", host, rrtype, v)
		}
	}
	if err := spec.Flush(); err != nil {
		return err
	}
	if err := live.Flush(); err != nil {
		return err
	}
	if err := specFile.Close(); err != nil {
		return err
	}
	return liveFile.Close()
}
