package fake

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/miekg/dns"
	"github.com/zonesync/zonesync/model"
)

// Seed creates a zone with its records, SOA, masters and failover from the
// model, as if made in the control panel, so that a demo can start from a
// directory of zone files. It maps the model on its own, independently of
// the provider's mapping, so that tests compare two readings of the wire format.
func (s *Server) Seed(z *model.Zone) error {
	name := strings.ToLower(strings.TrimSuffix(z.Name, "."))
	s.mu.Lock()
	defer s.mu.Unlock()
	if !validZoneName(name) {
		return fmt.Errorf("fake: %s", errInvalidDomain(name))
	}
	if s.zones[name] != nil {
		return fmt.Errorf("fake: %s", errAlreadyAdded(name))
	}
	var recs []*record
	if z.Mode != model.Slave {
		for _, rs := range z.Records {
			for _, v := range rs.Values {
				r, err := seedRecord(name, rs, v)
				if err != nil {
					return fmt.Errorf("fake: seed %s %s %s in %s: %w", rs.Name, rs.Type, v, name, err)
				}
				recs = append(recs, r)
			}
		}
	}
	typ := "master"
	if z.Mode == model.Slave {
		typ = "slave"
	}
	zn := s.newZone(name, typ)
	for _, m := range z.Masters {
		s.nextMaster++
		zn.masters[s.nextMaster] = m
	}
	if z.SOA != nil {
		soa := z.SOA.Merge(&model.SOA{PrimaryNS: defaultSOA.PrimaryNS, AdminMail: defaultSOA.AdminMail,
			Refresh: uint32(defaultSOA.Refresh), Retry: uint32(defaultSOA.Retry), Expire: uint32(defaultSOA.Expire), Minimum: uint32(defaultSOA.DefaultTTL)})
		zn.soa = SOA{PrimaryNS: strings.TrimSuffix(soa.PrimaryNS, "."), AdminMail: soa.AdminMail,
			Refresh: int(soa.Refresh), Retry: int(soa.Retry), Expire: int(soa.Expire), DefaultTTL: int(soa.Minimum)}
		if soa.Serial != 0 {
			zn.serial = int(soa.Serial)
		}
	}
	for _, r := range recs {
		r.id = s.newRecordID()
		zn.records[r.id] = r
	}
	return nil
}

// seedRecord builds one stored record from a canonical value.
func seedRecord(zone string, rs *model.RecordSet, value string) (*record, error) {
	r := &record{typ: rs.Type, ttl: int(rs.TTL), active: true, fields: map[string]string{}}
	if rs.Name != model.Apex {
		r.host = rs.Name
	}
	name := func(n string) string {
		if n == "." {
			return "."
		}
		return strings.TrimSuffix(n, ".")
	}
	itoa := func(n uint64) string { return strconv.FormatUint(n, 10) }
	if rs.Type == "TXT" || rs.Type == "SPF" {
		text, err := model.TXTText(value)
		if err != nil {
			return nil, err
		}
		r.data = text
		return r, nil
	}
	rr, err := model.NewRR(model.FQDN(rs.Name, zone), rs.TTL, rs.Type, value)
	if err != nil {
		return nil, err
	}
	switch t := rr.(type) {
	case *dns.A:
		r.data = t.A.String()
	case *dns.AAAA:
		r.data = model.CanonicalRR(t) // net.IP would print an IPv4-mapped address as IPv4
	case *dns.CNAME:
		r.data = name(t.Target)
	case *dns.NS:
		r.data = name(t.Ns)
	case *dns.PTR:
		r.data = name(t.Ptr)
	case *dns.MX:
		r.data, r.fields["priority"] = name(t.Mx), itoa(uint64(t.Preference))
	case *dns.SRV:
		r.data = name(t.Target)
		r.fields["priority"], r.fields["weight"], r.fields["port"] = itoa(uint64(t.Priority)), itoa(uint64(t.Weight)), itoa(uint64(t.Port))
	case *dns.CAA:
		v, err := unquote(t.Value)
		if err != nil {
			return nil, err
		}
		r.fields["caa_flag"], r.fields["caa_type"], r.fields["caa_value"] = itoa(uint64(t.Flag)), t.Tag, v
	case *dns.TLSA:
		r.data = strings.ToLower(t.Certificate)
		r.fields["tlsa_usage"], r.fields["tlsa_selector"], r.fields["tlsa_matching_type"] = itoa(uint64(t.Usage)), itoa(uint64(t.Selector)), itoa(uint64(t.MatchingType))
	case *dns.SSHFP:
		r.data = strings.ToLower(t.FingerPrint)
		r.fields["algorithm"], r.fields["fp_type"] = itoa(uint64(t.Algorithm)), itoa(uint64(t.Type))
	case *dns.NAPTR:
		var f [3]string
		for i, s := range []string{t.Flags, t.Service, t.Regexp} {
			if f[i], err = unquote(s); err != nil {
				return nil, err
			}
		}
		r.fields["order"], r.fields["pref"] = itoa(uint64(t.Order)), itoa(uint64(t.Preference))
		r.fields["flag"], r.fields["params"], r.fields["regexp"], r.fields["replace"] = f[0], f[1], f[2], name(t.Replacement)
	case *dns.DS:
		r.fields["key_tag"], r.fields["algorithm"], r.fields["digest_type"], r.fields["dsdigest"] = itoa(uint64(t.KeyTag)), itoa(uint64(t.Algorithm)), itoa(uint64(t.DigestType)), strings.ToUpper(t.Digest)
	default:
		return nil, fmt.Errorf("the fake cannot hold %s records", rs.Type)
	}
	if f := rs.Failover; f != nil {
		fo, err := seedFailover(f, r.data)
		if err != nil {
			return nil, err
		}
		r.failover = fo
	}
	return r, nil
}

// seedFailover maps neutral failover names to the newer check_type list.
func seedFailover(f *model.Failover, mainIP string) (*Failover, error) {
	checks := map[string]int{"ping": 17, "http": 18, "https": 18, "tcp": 8, "udp": 9, "dns": 10, "smtp": 15}
	down := map[string]int{"notify": 0, "deactivate": 1, "backup-ips": 2}
	up := map[string]int{"notify": 0, "main-ips": 1, "stop-monitoring": 2}
	c, ok1 := checks[f.Check]
	d, ok2 := down[f.Down]
	u, ok3 := up[f.Up]
	if !ok1 || !ok2 || !ok3 || len(f.BackupIPs) > 5 {
		return nil, fmt.Errorf("failover %+v cannot be stored", *f)
	}
	fo := &Failover{CheckType: c, DownEventHandler: d, UpEventHandler: u, MainIP: mainIP, MonitoringRegion: f.Settings.Region, Settings: map[string]string{}}
	if f.Active {
		fo.State = 1
	}
	copy(fo.BackupIPs[:], f.BackupIPs)
	st := f.Settings
	for k, v := range map[string]string{"host": st.Host, "path": st.Path, "content": st.Content, "query_type": st.QueryType, "query_response": st.QueryResponse} {
		if v != "" {
			fo.Settings[k] = v
		}
	}
	if st.Port != 0 {
		fo.Settings["port"] = strconv.Itoa(st.Port)
	}
	if c == 18 {
		fo.Settings["protocol"] = f.Check
	}
	return fo, nil
}

// unquote turns a character-string as miekg/dns holds it (escaped) into raw text.
func unquote(s string) (string, error) {
	text, err := model.TXTText(`"` + s + `"`)
	if err != nil {
		return "", err
	}
	return text, nil
}
