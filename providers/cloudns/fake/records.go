package fake

import (
	"encoding/hex"
	"maps"
	"net/netip"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// recordTypes are the types each zone kind takes (get-available-record-types.json, recorded).
var recordTypes = map[string][]string{
	"domain":  {"A", "AAAA", "MX", "CNAME", "TXT", "SPF", "NS", "SRV", "WR", "ALIAS", "RP", "SSHFP", "NAPTR", "CAA", "TLSA", "DS", "CERT", "PTR", "HINFO", "LOC", "DNAME", "SMIMEA", "OPENPGPKEY"},
	"reverse": {"PTR", "NAPTR", "NS", "CNAME", "CERT", "DS"},
}

// fakeTypes are the types whose fields the fake checks and stores; the
// others in recordTypes are refused as if invalid, since it cannot keep them.
var fakeTypes = []string{"A", "AAAA", "MX", "CNAME", "TXT", "SPF", "NS", "SRV", "SSHFP", "NAPTR", "CAA", "TLSA", "DS", "PTR"}

// wire is a record as records.json answers it: numbers as strings, but
// status (and dynamicurl_status) as JSON numbers.
func (r *record) wire() map[string]any {
	m := map[string]any{"id": strconv.Itoa(r.id), "type": r.typ, "host": r.host, "record": r.data,
		"failover": "0", "ttl": strconv.Itoa(r.ttl), "status": 0}
	if r.active {
		m["status"] = 1
	}
	if r.failover != nil {
		m["failover"] = "1"
	}
	switch r.typ {
	case "A", "AAAA":
		m["dynamicurl_status"] = 0
	case "CAA", "NAPTR", "DS":
		delete(m, "record")
	}
	for k, v := range r.fields {
		m[k] = v
	}
	return m
}

func (s *Server) records(p params) (any, error) {
	z, err := s.masterZone(p)
	if err != nil {
		return nil, err
	}
	var list []*record
	host, like := strings.ToLower(p.get("host")), strings.ToLower(p.get("host-like"))
	typ := strings.ToUpper(p.get("type"))
	if !slices.Contains(recordTypes["domain"], typ) {
		typ = "" // an unknown type is ignored
	}
	for _, r := range z.records {
		switch {
		case p.has("host-like"):
			if !strings.Contains(r.host, like) {
				continue
			}
		case p.has("host"):
			if r.host != host {
				continue
			}
		}
		if typ != "" && r.typ != typ {
			continue
		}
		list = append(list, r)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].id < list[j].id })
	if rows, ok := p.integer("rows-per-page"); ok && slices.Contains(rowsPerPage, rows) {
		page, ok := p.integer("page")
		if !ok || page < 1 {
			page = 1
		}
		from, to := min((page-1)*rows, len(list)), min(page*rows, len(list))
		list = list[from:to]
	}
	if len(list) == 0 {
		return []any{}, nil
	}
	out := map[string]any{}
	for _, r := range list {
		out[strconv.Itoa(r.id)] = r.wire()
	}
	return out, nil
}

// recordsCount answers get-records-count.json: how many records
// records.json answers for the zone. [guess: the answer's shape was never
// captured; the fake answers a bare number, as get-pages-count does]
func (s *Server) recordsCount(p params) (any, error) {
	z, err := s.masterZone(p)
	if err != nil {
		return nil, err
	}
	return len(z.records), nil
}

func (s *Server) addRecord(p params) (any, error) {
	z, err := s.masterZone(p)
	if err != nil {
		return nil, err
	}
	typ := strings.ToUpper(strings.TrimSpace(p.get("record-type")))
	if !slices.Contains(recordTypes[z.kind], typ) || !slices.Contains(fakeTypes, typ) {
		return nil, fail(errRecordType)
	}
	rec := &record{typ: typ, active: p.get("status") != "0"}
	if err := fill(rec, p); err != nil {
		return nil, err
	}
	if err := cnameConflict(z, rec); err != nil {
		return nil, err
	}
	if duplicate(z, rec) {
		return nil, fail(errDuplicateRecord)
	}
	rec.id = s.newRecordID()
	z.records[rec.id] = rec
	z.changed()
	return answer{Status: "Success", StatusDescription: okAdd, Data: map[string]int{"id": rec.id}}, nil
}

func (s *Server) modRecord(p params) (any, error) {
	z, err := s.masterZone(p)
	if err != nil {
		return nil, err
	}
	rec, err := recordOf(z, p)
	if err != nil {
		return nil, err
	}
	if p.has("record-type") && strings.ToUpper(strings.TrimSpace(p.get("record-type"))) != rec.typ {
		return nil, fail(errRecordTypeFixed)
	}
	next := *rec
	next.fields = maps.Clone(rec.fields)
	if err := fill(&next, p); err != nil {
		return nil, err
	}
	if err := cnameConflict(z, &next); err != nil {
		return nil, err
	}
	if duplicate(z, &next) {
		return nil, fail(errDuplicateRecord)
	}
	// Guess: failover follows its record, so the monitored main IP is the new value.
	if next.failover != nil {
		f := *next.failover
		f.MainIP = next.data
		next.failover = &f
	}
	*rec = next
	z.changed()
	return success(okMod), nil
}

func (s *Server) deleteRecord(p params) (any, error) {
	z, err := s.masterZone(p)
	if err != nil {
		return nil, err
	}
	rec, err := recordOf(z, p)
	if err != nil {
		return nil, err
	}
	delete(z.records, rec.id)
	z.changed()
	return success(okDelete), nil
}

// recordOf finds the record a request's record-id names.
func recordOf(z *zone, p params) (*record, error) {
	id, ok := p.integer("record-id")
	rec := z.records[id]
	if !ok || rec == nil {
		return nil, fail(errRecordID)
	}
	return rec, nil
}

// duplicate reports whether another record of the zone has rec's host,
// type and data (every field, TTL aside): the same DNS record twice.
func duplicate(z *zone, rec *record) bool {
	for _, r := range z.records {
		if r.id != rec.id && r.host == rec.host && r.typ == rec.typ && r.data == rec.data && maps.Equal(r.fields, rec.fields) {
			return true
		}
	}
	return false
}

// cnameConflict refuses a CNAME beside other data at its host, and other data beside a CNAME.
func cnameConflict(z *zone, rec *record) error {
	for _, r := range z.records {
		if r.id != rec.id && r.host == rec.host && (r.typ == "CNAME" || rec.typ == "CNAME") {
			return fail(errCNAMEConflict)
		}
	}
	return nil
}

var (
	hostLabel = regexp.MustCompile(`^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?$`)
	caaTag    = regexp.MustCompile(`^[a-z0-9]+$`)
)

// validHost checks a record's relative host: "" for the apex, a leading * allowed.
func validHost(host string) bool {
	if host == "" {
		return true
	}
	if len(host) > 253 {
		return false
	}
	for i, l := range strings.Split(host, ".") {
		if !(hostLabel.MatchString(l) || l == "*" && i == 0) {
			return false
		}
	}
	return true
}

// validHostname checks an absolute host name written without the trailing dot.
func validHostname(name string) bool {
	name = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(name)), ".")
	if name == "" || len(name) > 253 {
		return false
	}
	for _, l := range strings.Split(name, ".") {
		if !hostLabel.MatchString(l) {
			return false
		}
	}
	return true
}

// target reads a domain name in a record's data; "." is the root.
func target(p params, k string, rootOK bool) (string, error) {
	v := strings.ToLower(strings.TrimSpace(p.get(k)))
	if v == "." && rootOK {
		return ".", nil
	}
	if !validHostname(v) {
		return "", fail(errRecord)
	}
	return strings.TrimSuffix(v, "."), nil
}

// uintParam reads a number in 0..maxVal into the response field out.
func uintParam(p params, k string, maxVal int, fields map[string]string, out string) error {
	n, ok := p.integer(k)
	if !ok || n < 0 || n > maxVal {
		return fail(errRecord)
	}
	fields[out] = strconv.Itoa(n)
	return nil
}

func hexParam(p params, k string) (string, error) {
	v := strings.TrimSpace(p.get(k))
	if _, err := hex.DecodeString(v); err != nil || v == "" {
		return "", fail(errRecord)
	}
	return v, nil
}

// fill checks an add-record or mod-record request and stores its host,
// TTL and data in rec. host, record and ttl are required for every type
// (record may be "" where the data lives in other fields).
func fill(rec *record, p params) error {
	host := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(p.get("host")), "."))
	if !p.has("host") || !validHost(host) {
		return fail(errHost)
	}
	ttl, ok := p.integer("ttl")
	if !ok || !slices.Contains(allowedTTLs, ttl) {
		return fail(errTTL)
	}
	fields := map[string]string{}
	data := strings.TrimSpace(p.get("record"))
	var err error
	switch rec.typ {
	case "A", "AAAA":
		ip, perr := netip.ParseAddr(data)
		if perr != nil || ip.Is4() != (rec.typ == "A") || ip.Zone() != "" {
			return fail(errRecord)
		}
		data = ip.String()
	case "CNAME", "NS", "PTR":
		data, err = target(p, "record", false)
	case "TXT", "SPF":
		data = p.get("record")
		if data == "" {
			return fail(errRecord)
		}
	case "MX":
		if err = uintParam(p, "priority", 65535, fields, "priority"); err == nil {
			data, err = target(p, "record", true)
		}
	case "SRV":
		for _, k := range []string{"priority", "weight", "port"} {
			if err == nil {
				err = uintParam(p, k, 65535, fields, k)
			}
		}
		if err == nil {
			data, err = target(p, "record", true)
		}
	case "CAA":
		flag, ok := p.integer("caa_flag")
		tag := strings.ToLower(strings.TrimSpace(p.get("caa_type")))
		if !ok || (flag != 0 && flag != 128) || !caaTag.MatchString(tag) || p.get("caa_value") == "" {
			return fail(errRecord)
		}
		fields["caa_flag"], fields["caa_type"], fields["caa_value"] = strconv.Itoa(flag), tag, p.get("caa_value")
		data = ""
	case "TLSA":
		err = uintParam(p, "tlsa_usage", 3, fields, "tlsa_usage")
		if err == nil {
			err = uintParam(p, "tlsa_selector", 1, fields, "tlsa_selector")
		}
		if err == nil {
			err = uintParam(p, "tlsa_matching_type", 2, fields, "tlsa_matching_type")
		}
		if err == nil {
			data, err = hexParam(p, "record")
			data = strings.ToLower(data)
		}
	case "SSHFP":
		err = uintParam(p, "algorithm", 255, fields, "algorithm")
		if err == nil {
			err = uintParam(p, "fptype", 255, fields, "fp_type")
		}
		if err == nil {
			data, err = hexParam(p, "record")
			data = strings.ToLower(data)
		}
	case "NAPTR":
		err = uintParam(p, "order", 65535, fields, "order")
		if err == nil {
			err = uintParam(p, "pref", 65535, fields, "pref")
		}
		var repl string
		if err == nil {
			repl, err = target(p, "replace", true)
		}
		fields["flag"], fields["params"], fields["regexp"], fields["replace"] = p.get("flag"), p.get("params"), p.get("regexp"), repl
		data = ""
	case "DS":
		err = uintParam(p, "key-tag", 65535, fields, "key_tag")
		if err == nil {
			err = uintParam(p, "algorithm", 255, fields, "algorithm")
		}
		if err == nil {
			err = uintParam(p, "digest-type", 255, fields, "digest_type")
		}
		var digest string
		if err == nil {
			digest, err = hexParam(p, "record")
		}
		fields["dsdigest"] = strings.ToUpper(digest)
		data = ""
	default:
		return fail(errRecordType)
	}
	if err != nil {
		return err
	}
	rec.host, rec.ttl, rec.data, rec.fields = host, ttl, data, fields
	return nil
}
