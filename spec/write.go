package spec

import (
	"bytes"
	"sort"
	"strconv"
	"strings"

	"github.com/zonesync/zonesync/model"
	"gopkg.in/yaml.v3"
)

// Marshal writes a zone as a zone spec: the document `zonesync import`
// prints. zoneTTL says whether the provider has one TTL per zone; otherwise
// the spec's ttl is the most common record TTL and other TTLs are written
// per record set. Loading the result gives back the same zone.
func Marshal(z *model.Zone, zoneTTL bool) ([]byte, error) {
	return marshal(z, zoneTTL, specTTL(z, zoneTTL), nil)
}

// specTTL is the ttl a spec written for z says.
func specTTL(z *model.Zone, zoneTTL bool) uint32 {
	if zoneTTL {
		return z.TTL
	}
	return commonTTL(z)
}

// marshal is Marshal with the spec's ttl given, and an include key
// naming the templates include when there are any.
func marshal(z *model.Zone, zoneTTL bool, ttl uint32, include []string) ([]byte, error) {
	root := mapping()
	addPair(root, "zone", str(unicodeOrASCII(z.Name)))
	addPair(root, "provider", str(z.Provider))
	if z.Mode == model.Slave {
		addPair(root, "mode", str(string(model.Slave)))
		masters := seq()
		for _, m := range z.Masters {
			masters.Content = append(masters.Content, str(m))
		}
		masters.Style = yaml.FlowStyle
		addPair(root, "masters", masters)
	}
	addPair(root, "ttl", num(ttl))
	if s := z.SOA; s != nil && z.Mode != model.Slave {
		soa := mapping()
		if s.PrimaryNS != "" {
			addPair(soa, "primary_ns", str(unicodeOrASCII(s.PrimaryNS)))
		}
		if s.AdminMail != "" {
			addPair(soa, "admin_mail", str(unicodeMail(s.AdminMail)))
		}
		for _, f := range []struct {
			k string
			v uint32
		}{{"refresh", s.Refresh}, {"retry", s.Retry}, {"expire", s.Expire}, {"minimum", s.Minimum}} {
			if f.v != 0 {
				addPair(soa, f.k, num(f.v))
			}
		}
		if len(soa.Content) > 0 {
			addPair(root, "soa", soa)
		}
	}
	if z.DNSSEC != nil {
		addPair(root, "dnssec", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(*z.DNSSEC)})
	}
	// An ownership without owner is written without one: the spec then
	// takes zonesync.yaml's.
	if o := z.Ownership; o != nil && z.Mode != model.Slave {
		own := mapping()
		own.Style = yaml.FlowStyle
		if o.Owner != "" {
			addPair(own, "owner", str(o.Owner))
		}
		if o.AdoptUnmarked {
			addPair(own, "adopt", str(adoptUnmarked))
			own.LineComment = "marks the declared record sets that are live without a marker, at the first apply; remove adopt then"
		}
		addPair(root, "ownership", own)
	}
	if len(z.Ignore) > 0 {
		ign := seq()
		for _, r := range z.Ignore {
			m := mapping()
			m.Style = yaml.FlowStyle
			if r.Name != "" {
				addPair(m, "name", str(r.Name))
			}
			if r.Type != "" {
				addPair(m, "type", str(r.Type))
			}
			ign.Content = append(ign.Content, m)
		}
		addPair(root, "ignore", ign)
	}
	if len(include) > 0 {
		inc := seq()
		inc.Style = yaml.FlowStyle
		for _, name := range include {
			inc.Content = append(inc.Content, str(name))
		}
		addPair(root, "include", inc)
	}
	if z.Mode != model.Slave {
		records := mapping()
		var current *yaml.Node
		last := ""
		for _, rs := range z.Records {
			if current == nil || rs.Name != last {
				current = seq()
				addPair(records, unicodeOrASCII(rs.Name), current)
				last = rs.Name
			}
			item, err := recordNode(rs, ttl, zoneTTL)
			if err != nil {
				return nil, err
			}
			current.Content = append(current.Content, item)
		}
		addPair(root, "records", records)
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func recordNode(rs *model.RecordSet, zoneTTL uint32, oneTTL bool) (*yaml.Node, error) {
	item := mapping()
	addPair(item, "type", str(rs.Type))
	if rs.TTL != zoneTTL && !oneTTL {
		addPair(item, "ttl", num(rs.TTL))
	}
	values := make([]*yaml.Node, len(rs.Values))
	for i, v := range rs.Values {
		if !model.IsTXT(rs.Type) {
			values[i] = str(model.UnicodeValue(rs.Type, v))
			continue
		}
		n, err := txtNode(v)
		if err != nil {
			return nil, err
		}
		values[i] = n
	}
	if len(values) == 1 {
		addPair(item, "value", values[0])
	} else {
		list := seq()
		list.Content = values
		addPair(item, "values", list)
	}
	if f := rs.Failover; f != nil {
		fo := mapping()
		addPair(fo, "check", str(f.Check))
		settings := mapping()
		settings.Style = yaml.FlowStyle
		for _, kv := range f.Settings.Fields() {
			n := str(kv[1])
			if kv[0] == "port" {
				n = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: kv[1]}
			}
			addPair(settings, kv[0], n)
		}
		addPair(fo, "settings", settings)
		addPair(fo, "down", str(f.Down))
		addPair(fo, "up", str(f.Up))
		if len(f.BackupIPs) > 0 {
			ips := seq()
			ips.Style = yaml.FlowStyle
			for _, ip := range f.BackupIPs {
				ips.Content = append(ips.Content, str(ip))
			}
			addPair(fo, "backup_ips", ips)
		}
		addPair(fo, "active", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(f.Active)})
		addPair(item, "failover", fo)
	}
	if rs.Adopt {
		addPair(item, "adopt", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"})
	}
	return item, nil
}

// commonTTL is the TTL most record sets use (the lowest among equals), or
// DefaultTTL for a zone without records.
func commonTTL(z *model.Zone) uint32 {
	counts := map[uint32]int{}
	for _, rs := range z.Records {
		counts[rs.TTL]++
	}
	if len(counts) == 0 {
		return DefaultTTL
	}
	ttls := make([]uint32, 0, len(counts))
	for t := range counts {
		ttls = append(ttls, t)
	}
	sort.Slice(ttls, func(i, j int) bool {
		if counts[ttls[i]] != counts[ttls[j]] {
			return counts[ttls[i]] > counts[ttls[j]]
		}
		return ttls[i] < ttls[j]
	})
	return ttls[0]
}

// txtNode writes a canonical TXT value as a spec does: the text itself
// when its strings are the plain 255-byte split, otherwise the list of its
// strings, so that their boundaries survive the round trip.
func txtNode(value string) (*yaml.Node, error) {
	strs, err := model.TXTStrings(value)
	if err != nil {
		return nil, err
	}
	if model.PlainTXT(strs) {
		return str(strings.Join(strs, "")), nil
	}
	list := seq()
	list.Style = yaml.FlowStyle
	for _, s := range strs {
		n := str(s)
		n.Style = yaml.DoubleQuotedStyle
		list.Content = append(list.Content, n)
	}
	return list, nil
}

// unicodeOrASCII is a name as import writes it: in Unicode where its xn--
// labels convert back to the same ASCII form, so that people read it as
// they would write it; loading it gives the ASCII name again.
func unicodeOrASCII(name string) string {
	u, _ := model.UnicodeName(name)
	return u
}

// unicodeMail is an admin mail address with its domain as unicodeOrASCII
// writes it.
func unicodeMail(mail string) string {
	at := strings.LastIndexByte(mail, '@')
	if at < 0 {
		return mail
	}
	return mail[:at+1] + unicodeOrASCII(mail[at+1:])
}

func mapping() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode} }
func seq() *yaml.Node     { return &yaml.Node{Kind: yaml.SequenceNode} }
func str(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}
func num(v uint32) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatUint(uint64(v), 10)}
}
func addPair(m *yaml.Node, k string, v *yaml.Node) {
	m.Content = append(m.Content, str(k), v)
}

// ForImport returns a copy of a live zone reduced to what a spec for the
// provider may declare: apex NS records only where the provider lets
// zonesync manage them, and only the SOA fields it can set. The result
// loads without capability errors and plans as no change.
func ForImport(live *model.Zone, caps model.Capabilities) *model.Zone {
	z := *live
	z.Records = make([]*model.RecordSet, 0, len(live.Records))
	for _, rs := range live.Records {
		if rs.Name == model.Apex && rs.Type == "NS" && !caps.ApexNS {
			continue
		}
		z.Records = append(z.Records, rs)
	}
	// A spec says dnssec only for a provider that signs; an unsigned
	// zone's spec says nothing, which leaves it unsigned all the same.
	z.DNSSEC = nil
	if caps.DNSSEC && live.DNSSEC != nil && *live.DNSSEC {
		z.DNSSEC = live.DNSSEC
	}
	z.DS, z.Warnings = nil, nil
	if live.SOA != nil {
		s := model.SOA{}
		for _, f := range caps.SOA {
			switch f {
			case "primary_ns":
				s.PrimaryNS = live.SOA.PrimaryNS
			case "admin_mail":
				s.AdminMail = live.SOA.AdminMail
			case "refresh":
				s.Refresh = live.SOA.Refresh
			case "retry":
				s.Retry = live.SOA.Retry
			case "expire":
				s.Expire = live.SOA.Expire
			case "minimum":
				s.Minimum = live.SOA.Minimum
			}
		}
		z.SOA = &s
		if s == (model.SOA{}) {
			z.SOA = nil
		}
	}
	return &z
}
