// Package bench generates big zones and measures zonesync on them: the
// benchmarks in this package, and plan.sh for whole-process figures.
package bench

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
)

// Zone is the name of the generated zone.
const Zone = "big.example"

// Style is how a generated spec writes its record sets.
type Style string

// Spec styles.
const (
	// Block writes each record set over several lines, a list of values
	// under values: (about 90 bytes a record set).
	Block Style = "block"
	// Flow writes each record set on one line in flow style, value: for a
	// single value (about 52 bytes a record set), as specs written by
	// tools often are.
	Flow Style = "flow"
)

// Generate writes a project of one zone with n record sets into dir:
// zonesync.yaml, zones/big.example.yaml and live/big.example.zone. The live
// zone differs from the spec in about 3% of its record sets (1% changed, 1%
// missing, 1% extra), so the plan has real work to show.
func Generate(dir string, n int) error { return GenerateStyle(dir, n, Block) }

// GenerateStyle is Generate with the spec written in the given style.
func GenerateStyle(dir string, n int, style Style) error {
	if style != Block && style != Flow {
		return fmt.Errorf("unknown spec style %q (block or flow)", style)
	}
	for _, d := range []string{"zones", "live"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return err
		}
	}
	cfg := "providers:\n  local:\n    type: zonefile\n    directory: ./live\nzones: zones/\nsafety:\n  max_delete_percent: 100\n  max_update_percent: 100\n"
	if err := os.WriteFile(filepath.Join(dir, "zonesync.yaml"), []byte(cfg), 0o644); err != nil {
		return err
	}
	specFile, err := os.Create(filepath.Join(dir, "zones", Zone+".yaml"))
	if err != nil {
		return err
	}
	defer specFile.Close()
	liveFile, err := os.Create(filepath.Join(dir, "live", Zone+".zone"))
	if err != nil {
		return err
	}
	defer liveFile.Close()
	spec := bufio.NewWriterSize(specFile, 1<<20)
	live := bufio.NewWriterSize(liveFile, 1<<20)
	fmt.Fprintf(spec, "zone: %s\nprovider: local\nttl: 3600\nrecords:\n", Zone)
	fmt.Fprintf(live, "$ORIGIN %s.\n@ 3600 IN SOA ns1.%s. hostmaster.%s. 2026010100 7200 3600 1209600 3600\n", Zone, Zone, Zone)
	for i := 0; i < n; i++ {
		name, rrtype, values := recordSet(i)
		writeSpecSet(spec, style, name, rrtype, values)
		switch i % 100 {
		case 17: // missing live: a create
			continue
		case 42: // changed live: an update
			values = []string{liveValue(rrtype, i+7)}
		}
		for _, v := range values {
			fmt.Fprintf(live, "%s 3600 IN %s %s\n", name, rrtype, v)
		}
		if i%100 == 73 { // extra live: a delete
			fmt.Fprintf(live, "stale-%d 3600 IN A 198.51.100.%d\n", i, i%250+1)
		}
	}
	if err := spec.Flush(); err != nil {
		return err
	}
	return live.Flush()
}

func writeSpecSet(w *bufio.Writer, style Style, name, rrtype string, values []string) {
	if style == Block {
		fmt.Fprintf(w, "  %s:\n    - type: %s\n      values:\n", name, rrtype)
		for _, v := range values {
			fmt.Fprintf(w, "        - %q\n", specValue(rrtype, v))
		}
		return
	}
	if len(values) == 1 {
		fmt.Fprintf(w, "  %s: {type: %s, value: %q}\n", name, rrtype, specValue(rrtype, values[0]))
		return
	}
	fmt.Fprintf(w, "  %s: {type: %s, values: [", name, rrtype)
	for i, v := range values {
		if i > 0 {
			w.WriteString(", ")
		}
		fmt.Fprintf(w, "%q", specValue(rrtype, v))
	}
	w.WriteString("]}\n")
}

// recordSet returns the i-th generated record set, its values in zone-file form.
func recordSet(i int) (name, rrtype string, values []string) {
	name = fmt.Sprintf("host-%06d", i)
	switch i % 6 {
	case 0:
		return name, "A", []string{liveValue("A", i), liveValue("A", i+1)}
	case 1:
		return name, "AAAA", []string{liveValue("AAAA", i)}
	case 2:
		return name, "CNAME", []string{liveValue("CNAME", i)}
	case 3:
		return name, "MX", []string{liveValue("MX", i), liveValue("MX", i+1)}
	case 4:
		return name, "TXT", []string{liveValue("TXT", i)}
	default:
		return "_svc" + name[4:] + "._tcp", "SRV", []string{liveValue("SRV", i)}
	}
}

func liveValue(rrtype string, i int) string {
	switch rrtype {
	case "A":
		return fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
	case "AAAA":
		return fmt.Sprintf("2001:db8::%x:%x", i>>16, i&0xffff)
	case "CNAME":
		return fmt.Sprintf("target-%d.%s.", i, Zone)
	case "MX":
		return fmt.Sprintf("%d mx-%d.%s.", 10+i%5*10, i, Zone)
	case "TXT":
		return fmt.Sprintf("\"v=spf1 ip4:10.%d.%d.0/24 -all id=%d\"", i>>8&255, i&255, i)
	}
	return fmt.Sprintf("%d %d %d srv-%d.%s.", i%10, i%100, 1024+i%5000, i, Zone)
}

// specValue turns a zone-file value into its spec form (TXT unquoted).
func specValue(rrtype, v string) string {
	if rrtype == "TXT" {
		return v[1 : len(v)-1]
	}
	return v
}
