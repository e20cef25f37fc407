// Command floor does the least work any plan of a generated project must
// do, as the yardstick for `zonesync plan`: a yaml.v3 Node parse of the
// spec, a miekg/dns parse of the live zone, and one dns.NewRR per spec
// value, one after the other. Run it under /usr/bin/time beside zonesync:
//
//	floor -dir /tmp/big
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/miekg/dns"
	"github.com/zonesync/zonesync/bench"
	"gopkg.in/yaml.v3"
)

func main() {
	dir := flag.String("dir", "", "a project written by zonegen")
	flag.Parse()
	specData, err := os.ReadFile(filepath.Join(*dir, "zones", bench.Zone+".yaml"))
	check(err)
	liveData, err := os.ReadFile(filepath.Join(*dir, "live", bench.Zone+".zone"))
	check(err)

	start := time.Now()
	var doc yaml.Node
	check(yaml.Unmarshal(specData, &doc))
	yamlTime := time.Since(start)

	start = time.Now()
	zp := dns.NewZoneParser(bytes.NewReader(liveData), bench.Zone+".", "")
	for _, ok := zp.Next(); ok; _, ok = zp.Next() {
	}
	check(zp.Err())
	zoneTime := time.Since(start)

	start = time.Now()
	values := 0
	records := doc.Content[0].Content[len(doc.Content[0].Content)-1]
	for i := 0; i+1 < len(records.Content); i += 2 {
		sets := records.Content[i+1].Content
		if records.Content[i+1].Kind == yaml.MappingNode { // the flow style: one set, no list
			sets = records.Content[i+1 : i+2]
		}
		for _, set := range sets {
			var rrtype string
			var vals []*yaml.Node
			for j := 0; j+1 < len(set.Content); j += 2 {
				switch k, v := set.Content[j].Value, set.Content[j+1]; k {
				case "type":
					rrtype = v.Value
				case "value":
					vals = []*yaml.Node{v}
				case "values":
					vals = v.Content
				}
			}
			for _, v := range vals {
				value := v.Value
				if rrtype == "TXT" {
					value = `"` + value + `"`
				}
				_, err := dns.NewRR(records.Content[i].Value + "." + bench.Zone + ". 3600 IN " + rrtype + " " + value)
				check(err)
				values++
			}
		}
	}
	rrTime := time.Since(start)
	fmt.Printf("yaml %.3fs  zonefile %.3fs  newrr %.3fs (%d values)  total %.3fs\n",
		yamlTime.Seconds(), zoneTime.Seconds(), rrTime.Seconds(), values, (yamlTime + zoneTime + rrTime).Seconds())
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
}
