package bench

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The estate of templated specs: n zones of 20 record sets each, every
// zone with the same 15 shared sets (3 of them built from the zone's name
// or a parameter) and 5 of its own. Written spelled out, each spec holds
// its 20 sets; written with templates, each includes the 5 templates
// below and holds its 5 own sets. Both load to the same zones.

// sharedSet is one record set of a template; its values may use ${zone}
// and ${address}.
type sharedSet struct {
	name, rrtype string
	ttl          int // 0: the template's (or the spec's) default
	values       []string
}

// estateTemplate is one of the templates every generated zone includes.
type estateTemplate struct {
	name   string
	ttl    int // 0: none
	params []string
	sets   []sharedSet
}

var estateTemplates = []estateTemplate{
	{name: "mail", ttl: 300, sets: []sharedSet{
		{"@", "MX", 0, []string{"10 mx1.mail.example.net.", "20 mx2.mail.example.net."}},
		{"@", "TXT", 0, []string{"v=spf1 include:_spf.mail.example.net -all"}},
		{"_dmarc", "TXT", 0, []string{"v=DMARC1; p=reject; rua=mailto:dmarc@${zone}"}},
	}},
	{name: "web", params: []string{"address"}, sets: []sharedSet{
		{"@", "A", 0, []string{"${address}"}},
		{"@", "AAAA", 0, []string{"2001:db8::80"}},
		{"www", "CNAME", 0, []string{"${zone}."}},
	}},
	{name: "verification", sets: []sharedSet{
		{"_github-challenge-acme-org", "TXT", 0, []string{"9f3c2a7b1e"}},
		{"_amazonses", "TXT", 0, []string{"pmBGN/7MjnfhTKUZ06Enqq1PeGUaOkw8lGhcfwefcHU="}},
		{"selector1._domainkey", "CNAME", 0, []string{"selector1._domainkey.mail.example.net."}},
	}},
	{name: "security", ttl: 3600, sets: []sharedSet{
		{"@", "CAA", 0, []string{`0 issue "letsencrypt.org"`, `0 iodef "mailto:security@example.net"`}},
		{"_mta-sts", "TXT", 0, []string{"v=STSv1; id=20260101"}},
		{"mta-sts", "CNAME", 0, []string{"mta-sts.mail.example.net."}},
	}},
	{name: "services", sets: []sharedSet{
		{"_sip._tcp", "SRV", 0, []string{"10 60 5060 sip.example.net."}},
		{"_imaps._tcp", "SRV", 0, []string{"0 1 993 imap.mail.example.net."}},
		{"autodiscover", "CNAME", 0, []string{"autodiscover.mail.example.net."}},
	}},
}

// estateZone is the name of the i-th zone of the estate.
func estateZone(i int) string { return fmt.Sprintf("zone-%05d.example", i) }

// ownSets are the 5 record sets of the i-th zone that no other zone has.
func ownSets(i int) []sharedSet {
	return []sharedSet{
		{"api", "A", 60, []string{fmt.Sprintf("10.%d.%d.1", i>>8&255, i&255), fmt.Sprintf("10.%d.%d.2", i>>8&255, i&255)}},
		{"ftp", "A", 0, []string{fmt.Sprintf("10.%d.%d.21", i>>8&255, i&255)}},
		{"dev", "AAAA", 0, []string{fmt.Sprintf("2001:db8:%x::1", i)}},
		{"blog", "CNAME", 0, []string{fmt.Sprintf("site-%d.hosting.example.net.", i)}},
		{"shop", "MX", 0, []string{fmt.Sprintf("10 shop-mx-%d.example.net.", i)}},
	}
}

// webAddress is the address the i-th zone gives the web template.
func webAddress(i int) string { return fmt.Sprintf("198.51.%d.%d", 100+i/250%100, i%250+1) }

// GenerateEstateSpecs writes into dir a project of n zone specs (and no
// live zones), spelled out or including 5 templates each.
func GenerateEstateSpecs(dir string, n int, templated bool) error {
	for _, d := range []string{"zones", "live", "templates"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return err
		}
	}
	cfg := "providers:\n  local:\n    type: zonefile\n    directory: ./live\nzones: zones/\ntemplates: templates/\n"
	if err := os.WriteFile(filepath.Join(dir, "zonesync.yaml"), []byte(cfg), 0o644); err != nil {
		return err
	}
	if templated {
		for _, t := range estateTemplates {
			if err := writeEstateTemplate(dir, t); err != nil {
				return err
			}
		}
	}
	for i := 0; i < n; i++ {
		if err := writeEstateSpec(dir, i, templated); err != nil {
			return err
		}
	}
	return nil
}

func writeEstateTemplate(dir string, t estateTemplate) error {
	var b strings.Builder
	fmt.Fprintf(&b, "description: the %s records every zone shares\n", t.name)
	if len(t.params) > 0 {
		b.WriteString("parameters:\n")
		for _, p := range t.params {
			fmt.Fprintf(&b, "  %s:\n", p)
		}
	}
	if t.ttl > 0 {
		fmt.Fprintf(&b, "ttl: %d\n", t.ttl)
	}
	b.WriteString("records:\n")
	writeEstateSets(&b, t.sets, 0, nil)
	return os.WriteFile(filepath.Join(dir, "templates", t.name+".yaml"), []byte(b.String()), 0o644)
}

func writeEstateSpec(dir string, i int, templated bool) error {
	zone := estateZone(i)
	f, err := os.Create(filepath.Join(dir, "zones", zone+".yaml"))
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "zone: %s\nprovider: local\nttl: 3600\n", zone)
	var b strings.Builder
	if templated {
		b.WriteString("include:\n")
		for _, t := range estateTemplates {
			if len(t.params) > 0 {
				fmt.Fprintf(&b, "  - %s: {address: %s}\n", t.name, webAddress(i))
			} else {
				fmt.Fprintf(&b, "  - %s\n", t.name)
			}
		}
		b.WriteString("records:\n")
		writeEstateSets(&b, ownSets(i), 0, nil)
	} else {
		b.WriteString("records:\n")
		writeEstateSets(&b, estateSets(i), 0, map[string]string{"${zone}": zone, "${address}": webAddress(i)})
	}
	w.WriteString(b.String())
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeEstateSets writes record sets under a records key, one line
// each, grouped by name; ttl is written on each set without its own, when
// not 0; values replaces parameters by their values, when given.
func writeEstateSets(b *strings.Builder, sets []sharedSet, ttl int, values map[string]string) {
	var names []string
	lines := map[string][]string{}
	for _, s := range sets {
		var l strings.Builder
		fmt.Fprintf(&l, "    - {type: %s", s.rrtype)
		switch {
		case s.ttl > 0:
			fmt.Fprintf(&l, ", ttl: %d", s.ttl)
		case ttl > 0:
			fmt.Fprintf(&l, ", ttl: %d", ttl)
		}
		l.WriteString(", values: [")
		for j, v := range s.values {
			for k, val := range values {
				v = strings.ReplaceAll(v, k, val)
			}
			if j > 0 {
				l.WriteString(", ")
			}
			fmt.Fprintf(&l, "%q", v)
		}
		l.WriteString("]}\n")
		if _, ok := lines[s.name]; !ok {
			names = append(names, s.name)
		}
		lines[s.name] = append(lines[s.name], l.String())
	}
	for _, name := range names {
		fmt.Fprintf(b, "  %q:\n", name)
		for _, l := range lines[name] {
			b.WriteString(l)
		}
	}
}

// estateSets are every record set of the i-th zone, spelled out, with
// the TTL each gets.
func estateSets(i int) []sharedSet {
	var out []sharedSet
	for _, t := range estateTemplates {
		for _, s := range t.sets {
			if s.ttl == 0 {
				s.ttl = t.ttl
			}
			out = append(out, s)
		}
	}
	return append(out, ownSets(i)...)
}
