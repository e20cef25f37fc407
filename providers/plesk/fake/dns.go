package fake

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// action is one operation of a packet, checked against the schema and
// ready to run. run is called with the server's lock held and returns the
// operation's result elements.
type action struct {
	operator, name string
	run            func(s *Server) string
}

// Filter children of the dns operator's filter types.
var (
	selectionKinds = []string{"site-id", "id", "site-alias-id", "dns-zone-name"}
	simpleKinds    = []string{"site-id", "site-alias-id"}
	idKinds        = map[string]bool{"site-id": true, "id": true, "site-alias-id": true}
)

// recordTypes is the add_rec type enum of a packet version: the 2014
// schema's, plus DS from 1.6.7.0 (Plesk 12.5), whose docs first list it.
func recordTypes(version string) []string {
	types := []string{"A", "CNAME", "PTR", "MX", "NS", "TXT", "SOA", "AXFR", "SRV", "AAAA"}
	if versionAtLeast(version, "1.6.7.0") {
		types = append(types, "DS")
	}
	return types
}

// dnsOps maps the dns operations the fake implements to their parsers.
var dnsOps = map[string]func(n *node, version string) (func(s *Server) string, error){
	"add_rec":           parseAddRec,
	"get_rec":           parseGetRec,
	"del_rec":           parseDelRec,
	"get":               parseGet,
	"set":               parseSet,
	"switch":            parseSwitch,
	"add_master_server": parseAddMaster,
	"get_master_server": parseGetMasters,
	"del_master_server": parseDelMasters,
	"enable":            func(n *node, _ string) (func(*Server) string, error) { return parseStatus(n, "enabled") },
	"disable":           func(n *node, _ string) (func(*Server) string, error) { return parseStatus(n, "disabled") },
}

func parseAddRec(n *node, version string) (func(*Server) string, error) {
	c := children(n)
	owner := c.maybe("site-id", "site-alias-id")
	var ownerID uint64
	if owner != nil {
		var err error
		if ownerID, err = idValue(owner); err != nil {
			return nil, err
		}
	}
	typN, err := c.want("type")
	if err != nil {
		return nil, err
	}
	typ, err := enumValue(typN, recordTypes(version)...)
	if err != nil {
		return nil, err
	}
	fields := make([]string, 2)
	for i, name := range []string{"host", "value"} {
		k, err := c.want(name)
		if err != nil {
			return nil, err
		}
		if fields[i], err = leaf(k); err != nil {
			return nil, err
		}
	}
	opt := ""
	if k := c.maybe("opt"); k != nil {
		if opt, err = leaf(k); err != nil {
			return nil, err
		}
	}
	if err := c.end(); err != nil {
		return nil, err
	}
	host, value := fields[0], fields[1]
	return func(s *Server) string {
		switch {
		case owner == nil:
			s.danger("dns/add_rec without site-id (adds to the server-wide zone template)")
			s.st.nextRec++
			s.st.records[s.st.nextRec] = &Record{ID: s.st.nextRec, Type: typ, Host: host, Value: value, Opt: opt}
			return okResult().el("id", itoa(s.st.nextRec)).String()
		case owner.name == "site-alias-id":
			return errResult(errSiteAlias).String()
		}
		st := s.st.sites[ownerID]
		if st == nil {
			return errResult(errSiteMissingDot).String()
		}
		id, bad := s.st.addRecord(st, typ, host, value, opt)
		if bad != nil {
			return errResult(*bad).String()
		}
		return okResult().el("id", itoa(id)).String()
	}, nil
}

// recordResult is get_rec's result for one record.
func recordResult(r *Record) *res {
	data := fmt.Sprintf("<data><site-id>%d</site-id><type>%s</type><host>%s</host><value>%s</value><opt>%s</opt></data>",
		r.SiteID, escape(r.Type), escape(r.Host), escape(r.Value), escape(r.Opt))
	if r.SiteID == 0 {
		data = strings.Replace(data, "<site-id>0</site-id>", "", 1)
	}
	return okResult().el("id", itoa(r.ID)).raw(data)
}

func parseGetRec(n *node, _ string) (func(*Server) string, error) {
	c := children(n)
	f, err := selectionFilter(c)
	if err != nil {
		return nil, err
	}
	extra, err := c.maybeEmpty("template", "include-subdomains")
	if err != nil {
		return nil, err
	}
	if extra != nil {
		if extra.name == "template" && f.kind != "" {
			return nil, &invalid{extra.line, "Element 'template': the filter must be empty when reading the zone template."}
		}
	}
	if err := c.end(); err != nil {
		return nil, err
	}
	return func(s *Server) string {
		var out []*res
		switch {
		case extra != nil && extra.name == "template":
			s.danger("dns/get_rec of the server-wide zone template")
			for _, r := range s.st.recordsOf(0) {
				out = append(out, recordResult(r))
			}
		case f.kind == "":
			s.danger("dns/get_rec with an empty filter (reads every zone's records)")
			for _, r := range s.st.allZoneRecords() {
				out = append(out, recordResult(r))
			}
		case f.kind == "id":
			for _, id := range f.ids {
				if r := s.st.records[id]; r != nil && r.SiteID != 0 {
					out = append(out, recordResult(r))
				}
			}
		default:
			for _, sel := range s.st.selectSites(f) {
				if sel.err != nil {
					out = append(out, errResult(*sel.err))
					continue
				}
				for _, r := range s.st.recordsOf(sel.site.id) {
					out = append(out, recordResult(r))
				}
			}
		}
		return join(out)
	}, nil
}

func parseDelRec(n *node, _ string) (func(*Server) string, error) {
	c := children(n)
	f, err := selectionFilter(c)
	if err != nil {
		return nil, err
	}
	tmpl, err := c.maybeEmpty("template")
	if err != nil {
		return nil, err
	}
	if err := c.end(); err != nil {
		return nil, err
	}
	return func(s *Server) string {
		var out []*res
		del := func(rs []*Record) {
			for _, r := range rs {
				delete(s.st.records, r.ID)
				out = append(out, okResult().el("id", itoa(r.ID)))
			}
		}
		switch {
		case tmpl != nil && f.kind == "":
			s.danger("dns/del_rec of the server-wide zone template")
			del(s.st.recordsOf(0))
		case f.kind == "":
			// Documented: an empty filter deletes all records.
			s.danger("dns/del_rec with an empty filter (deletes every record of the server)")
			del(s.st.allZoneRecords())
		case f.kind == "id":
			for _, id := range f.ids {
				if r := s.st.records[id]; r != nil && (r.SiteID == 0) == (tmpl != nil) {
					del([]*Record{r})
				} else {
					out = append(out, errResult(errRecordMissing).el("id", itoa(id)))
				}
			}
		default:
			for _, sel := range s.st.selectSites(f) {
				if sel.err != nil {
					out = append(out, errResult(*sel.err))
					continue
				}
				del(s.st.recordsOf(sel.site.id))
			}
		}
		return join(out)
	}, nil
}

// soaXML renders a zone's SOA values.
func soaXML(v soa) string {
	return fmt.Sprintf("<soa><ttl>%d</ttl><refresh>%d</refresh><retry>%d</retry><expire>%d</expire><minimum>%d</minimum></soa>",
		v.ttl, v.refresh, v.retry, v.expire, v.minimum)
}

// selectionFilter reads the required dnsSelectionFilterType.
func selectionFilter(c *cursor) (filter, error) {
	fN, err := c.want("filter")
	if err != nil {
		return filter{}, err
	}
	return parseFilter(fN, 0, selectionKinds, idKinds)
}

// simpleFilter reads a simpleFilterType, required or not.
func simpleFilter(c *cursor, required bool) (filter, error) {
	var fN *node
	if required {
		var err error
		if fN, err = c.want("filter"); err != nil {
			return filter{}, err
		}
	} else {
		fN = c.maybe("filter")
	}
	return parseFilter(fN, 1, simpleKinds, idKinds)
}

// eachSite runs f for every site of a simple filter, answering for the
// ones that do not exist with missing, and for aliases with errSiteAlias.
func eachSite(s *Server, f filter, missing apiError, fn func(st *site) *res) string {
	var out []*res
	for _, id := range f.ids {
		idText := itoa(id)
		switch st := s.st.sites[id]; {
		case f.kind == "site-alias-id":
			out = append(out, errResult(errSiteAlias).el("site-alias-id", idText))
		case st == nil:
			out = append(out, errResult(missing).el("site-id", idText))
		default:
			out = append(out, fn(st))
		}
	}
	return join(out)
}

func parseGet(n *node, _ string) (func(*Server) string, error) {
	c := children(n)
	f, err := simpleFilter(c, false)
	if err != nil {
		return nil, err
	}
	soaN, err := c.maybeEmpty("soa")
	if err != nil {
		return nil, err
	}
	if err := c.end(); err != nil {
		return nil, err
	}
	return func(s *Server) string {
		if f.absent {
			s.danger("dns/get without a filter (reads the server-wide zone template)")
			return okResult().raw(soaXML(s.st.template)).el("zone_status", "enabled").String()
		}
		return eachSite(s, f, errSiteMissingDot, func(st *site) *res {
			r := okResult().el("site-id", itoa(st.id))
			if soaN != nil {
				r.raw(soaXML(st.zone.soa))
			}
			return r.el("zone_type", st.zone.typ).el("zone_status", st.zone.status)
		})
	}, nil
}

func parseSet(n *node, _ string) (func(*Server) string, error) {
	c := children(n)
	f, err := simpleFilter(c, false)
	if err != nil {
		return nil, err
	}
	soaN, err := c.want("soa")
	if err != nil {
		return nil, err
	}
	if err := c.end(); err != nil {
		return nil, err
	}
	// SOAType is an xs:all: each field at most once, in any order.
	fields := map[string]uint32{}
	for _, k := range soaN.kids {
		switch k.name {
		case "ttl", "refresh", "retry", "expire", "minimum":
		default:
			return nil, &invalid{k.line, fmt.Sprintf("Element '%s': This element is not expected. Expected is one of ( ttl, refresh, retry, expire, minimum ).", k.name)}
		}
		if _, dup := fields[k.name]; dup {
			return nil, &invalid{k.line, fmt.Sprintf("Element '%s': This element is not expected.", k.name)}
		}
		v, err := uintValue(k)
		if err != nil {
			return nil, err
		}
		fields[k.name] = v
	}
	change := func(v *soa) {
		for name, val := range fields {
			switch name {
			case "ttl":
				v.ttl = val
			case "refresh":
				v.refresh = val
			case "retry":
				v.retry = val
			case "expire":
				v.expire = val
			case "minimum":
				v.minimum = val
			}
		}
	}
	return func(s *Server) string {
		if f.absent {
			s.danger("dns/set without a filter (changes the server-wide zone template)")
			change(&s.st.template)
			return okResult().String()
		}
		return eachSite(s, f, errSiteMissingDot, func(st *site) *res {
			change(&st.zone.soa)
			return okResult().el("site-id", itoa(st.id))
		})
	}, nil
}

func parseSwitch(n *node, _ string) (func(*Server) string, error) {
	c := children(n)
	f, err := simpleFilter(c, true)
	if err != nil {
		return nil, err
	}
	ztN, err := c.want("zone_type")
	if err != nil {
		return nil, err
	}
	zt, err := enumValue(ztN, "master", "slave")
	if err != nil {
		return nil, err
	}
	if err := c.end(); err != nil {
		return nil, err
	}
	// Master-server entries and records stay as they are: the zone keeps
	// its data across a switch (a guess; the docs do not say).
	return func(s *Server) string {
		return eachSite(s, f, errSiteMissing, func(st *site) *res {
			st.zone.typ = zt
			return okResult().el("site-id", itoa(st.id))
		})
	}, nil
}

func parseStatus(n *node, status string) (func(*Server) string, error) {
	c := children(n)
	f, err := simpleFilter(c, false)
	if err != nil {
		return nil, err
	}
	if err := c.end(); err != nil {
		return nil, err
	}
	return func(s *Server) string {
		if f.absent {
			s.danger("dns/" + n.name + " without a filter (changes the server-wide zone template)")
			return okResult().String()
		}
		return eachSite(s, f, errSiteMissingDot, func(st *site) *res {
			st.zone.status = status
			return okResult().el("site-id", itoa(st.id))
		})
	}, nil
}

func parseAddMaster(n *node, _ string) (func(*Server) string, error) {
	c := children(n)
	owner, err := c.want("site-id", "site-alias-id")
	if err != nil {
		return nil, err
	}
	ownerID, err := idValue(owner)
	if err != nil {
		return nil, err
	}
	ipN, err := c.want("ip_address")
	if err != nil {
		return nil, err
	}
	ipText, err := leaf(ipN)
	if err != nil {
		return nil, err
	}
	if err := c.end(); err != nil {
		return nil, err
	}
	return func(s *Server) string {
		st := s.st.sites[ownerID]
		switch {
		case owner.name == "site-alias-id":
			return errResult(errSiteAlias).String()
		case st == nil:
			return errResult(errSiteMissingDot).String()
		}
		ip, perr := netip.ParseAddr(strings.TrimSpace(ipText))
		if perr != nil || ip.Zone() != "" {
			return errResult(errInvalidValue).String()
		}
		for _, m := range s.st.mastersOf(st.id) {
			if other, _ := netip.ParseAddr(m.ip); other == ip {
				return errResult(errExists).String()
			}
		}
		// Kept as the request spelled it, as a database column would.
		s.st.nextMstr++
		s.st.masters[s.st.nextMstr] = &master{id: s.st.nextMstr, siteID: st.id, ip: strings.TrimSpace(ipText)}
		return okResult().el("id", itoa(s.st.nextMstr)).String()
	}, nil
}

// masterResult is get_master_server's result for one entry.
func masterResult(filterID string, m *master) *res {
	r := okResult()
	if filterID != "" {
		r.el("filter-id", filterID)
	}
	return r.el("id", itoa(m.id)).el("site-id", itoa(m.siteID)).el("ip_address", m.ip)
}

func parseGetMasters(n *node, _ string) (func(*Server) string, error) {
	return parseMasters(n, false)
}

func parseDelMasters(n *node, _ string) (func(*Server) string, error) {
	return parseMasters(n, true)
}

// parseMasters reads get_master_server and del_master_server, which share
// their filter and differ in what they do with the entries selected.
func parseMasters(n *node, del bool) (func(*Server) string, error) {
	c := children(n)
	f, err := selectionFilter(c)
	if err != nil {
		return nil, err
	}
	if err := c.end(); err != nil {
		return nil, err
	}
	return func(s *Server) string {
		var out []*res
		take := func(filterID string, m *master) {
			if del {
				delete(s.st.masters, m.id)
				out = append(out, okResult().el("id", itoa(m.id)))
			} else {
				out = append(out, masterResult(filterID, m))
			}
		}
		switch f.kind {
		case "":
			if del {
				s.danger("dns/del_master_server with an empty filter (deletes every master server)")
			}
			for _, m := range s.st.allMasters() {
				take("", m)
			}
		case "id":
			for _, id := range f.ids {
				if m := s.st.masters[id]; m != nil {
					take(itoa(id), m)
				} else {
					r := errResult(masterMissing(id))
					if del {
						r.el("id", itoa(id))
					}
					out = append(out, r)
				}
			}
		default:
			for i, sel := range s.st.selectSites(f) {
				if sel.err != nil {
					out = append(out, errResult(*sel.err))
					continue
				}
				filterID := strconv.FormatUint(sel.site.id, 10)
				if f.kind == "dns-zone-name" {
					filterID = f.names[i]
				}
				for _, m := range s.st.mastersOf(sel.site.id) {
					take(filterID, m)
				}
			}
		}
		return join(out)
	}, nil
}
