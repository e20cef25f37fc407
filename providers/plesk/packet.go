package plesk

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ProtocolVersion is the packet version every request carries. 1.6.7.0
// (Plesk 12.5) is the lowest whose documentation lists every record type
// the provider offers: AAAA and SRV are in the 2014 schema, DS first
// appears in the 12.5 docs. Pinning it keeps the schema Plesk checks the
// packets against fixed across server upgrades.
const ProtocolVersion = "1.6.7.0"

// Packets go through encodePacket, the one way to the wire. It refuses an
// operation whose check fails, so a filter that would address the
// server-wide zone template, or delete every record of the server, cannot
// be sent even by a bug that builds one by hand.

// operation is one operation element of a request packet.
type operation interface {
	// call is the element's name, as error messages name the call.
	call() string
	// check says why the operation must not be sent, or nil.
	check() error
}

// siteID identifies a site (a domain) and with it its DNS zone.
type siteID uint64

// recordID identifies a DNS record, or a master-server entry.
type recordID uint64

// siteFilter is a simpleFilterType or dnsSelectionFilterType holding
// exactly one site-id.
type siteFilter struct {
	SiteID siteID `xml:"site-id"`
}

func (f siteFilter) check() error {
	if f.SiteID == 0 {
		return errors.New("no site-id in the filter: it would address the server-wide zone template")
	}
	return nil
}

// idFilter is a dnsSelectionFilterType holding only ids. Build it with
// newIDFilter: an empty one would select every record of the server.
type idFilter struct {
	IDs []recordID `xml:"id"`
}

// newIDFilter returns a filter of at least one id; more may follow.
func newIDFilter(first recordID, more ...recordID) idFilter {
	return idFilter{IDs: append([]recordID{first}, more...)}
}

func (f idFilter) check() error {
	if len(f.IDs) == 0 {
		return errors.New("empty id filter: it would select every record of the server")
	}
	for _, id := range f.IDs {
		if id == 0 {
			return errors.New("id 0 in the filter: ids are positive")
		}
	}
	return nil
}

// addRec adds one record to a site's zone; host is relative, "" the apex.
type addRec struct {
	XMLName xml.Name `xml:"add_rec"`
	SiteID  siteID   `xml:"site-id"`
	Type    string   `xml:"type"`
	Host    string   `xml:"host"`
	Value   string   `xml:"value"`
	Opt     string   `xml:"opt,omitempty"`
}

func (addRec) call() string { return "add_rec" }
func (o addRec) check() error {
	if o.SiteID == 0 {
		return errors.New("add_rec without site-id would add to the server-wide zone template")
	}
	if o.Type == "" {
		return errors.New("add_rec without a type")
	}
	return nil
}

// getRec reads every record of a site's zone.
type getRec struct {
	XMLName xml.Name   `xml:"get_rec"`
	Filter  siteFilter `xml:"filter"`
}

func (getRec) call() string   { return "get_rec" }
func (o getRec) check() error { return o.Filter.check() }

// delRec deletes records by id, and only by id.
type delRec struct {
	XMLName xml.Name `xml:"del_rec"`
	Filter  idFilter `xml:"filter"`
}

func (delRec) call() string   { return "del_rec" }
func (o delRec) check() error { return o.Filter.check() }

// soaFields are the SOA values the API knows; nil fields are not sent.
type soaFields struct {
	TTL     *uint32 `xml:"ttl,omitempty"`
	Refresh *uint32 `xml:"refresh,omitempty"`
	Retry   *uint32 `xml:"retry,omitempty"`
	Expire  *uint32 `xml:"expire,omitempty"`
	Minimum *uint32 `xml:"minimum,omitempty"`
}

func (s soaFields) empty() bool {
	return s.TTL == nil && s.Refresh == nil && s.Retry == nil && s.Expire == nil && s.Minimum == nil
}

// getZone reads a zone's SOA, type and status.
type getZone struct {
	XMLName xml.Name   `xml:"get"`
	Filter  siteFilter `xml:"filter"`
	SOA     struct{}   `xml:"soa"`
}

func (getZone) call() string   { return "get" }
func (o getZone) check() error { return o.Filter.check() }

// setSOA changes a zone's SOA values.
type setSOA struct {
	XMLName xml.Name   `xml:"set"`
	Filter  siteFilter `xml:"filter"`
	SOA     soaFields  `xml:"soa"`
}

func (setSOA) call() string { return "set" }
func (o setSOA) check() error {
	if o.SOA.empty() {
		return errors.New("set without an SOA value")
	}
	return o.Filter.check()
}

// switchZone makes a zone a master or a slave.
type switchZone struct {
	XMLName  xml.Name   `xml:"switch"`
	Filter   siteFilter `xml:"filter"`
	ZoneType string     `xml:"zone_type"`
}

func (switchZone) call() string { return "switch" }
func (o switchZone) check() error {
	if o.ZoneType != "master" && o.ZoneType != "slave" {
		return fmt.Errorf("zone_type %q is neither master nor slave", o.ZoneType)
	}
	return o.Filter.check()
}

// addMaster adds a master server to a slave zone.
type addMaster struct {
	XMLName xml.Name `xml:"add_master_server"`
	SiteID  siteID   `xml:"site-id"`
	IP      string   `xml:"ip_address"`
}

func (addMaster) call() string { return "add_master_server" }
func (o addMaster) check() error {
	if o.SiteID == 0 || o.IP == "" {
		return errors.New("add_master_server needs a site-id and an ip_address")
	}
	return nil
}

// getMasters reads a zone's master servers.
type getMasters struct {
	XMLName xml.Name   `xml:"get_master_server"`
	Filter  siteFilter `xml:"filter"`
}

func (getMasters) call() string   { return "get_master_server" }
func (o getMasters) check() error { return o.Filter.check() }

// delMaster removes master-server entries by id, and only by id.
type delMaster struct {
	XMLName xml.Name `xml:"del_master_server"`
	Filter  idFilter `xml:"filter"`
}

func (delMaster) call() string   { return "del_master_server" }
func (o delMaster) check() error { return o.Filter.check() }

// getSites reads sites by name; no name lists every site the login sees.
type getSites struct {
	XMLName xml.Name `xml:"get"`
	Filter  struct {
		Names []string `xml:"name"`
	} `xml:"filter"`
	Dataset struct {
		GenInfo struct{} `xml:"gen_info"`
	} `xml:"dataset"`
}

func (getSites) call() string { return "get" }
func (getSites) check() error { return nil }

// request is one packet: operations of one operator, in order.
type request struct {
	operator string // "dns" or "site"
	ops      []operation
}

// encodePacket renders a request, refusing any operation that fails its check.
func encodePacket(req request) ([]byte, error) {
	if len(req.ops) == 0 {
		return nil, errors.New("empty packet")
	}
	for _, op := range req.ops {
		if err := op.check(); err != nil {
			return nil, fmt.Errorf("refusing to send %s: %w", op.call(), err)
		}
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	packet := xml.StartElement{Name: xml.Name{Local: "packet"}, Attr: []xml.Attr{{Name: xml.Name{Local: "version"}, Value: ProtocolVersion}}}
	operator := xml.StartElement{Name: xml.Name{Local: req.operator}}
	if err := enc.EncodeToken(packet); err != nil {
		return nil, err
	}
	if err := enc.EncodeToken(operator); err != nil {
		return nil, err
	}
	for _, op := range req.ops {
		if err := enc.Encode(op); err != nil {
			return nil, fmt.Errorf("encode %s: %w", op.call(), err)
		}
	}
	if err := enc.EncodeToken(operator.End()); err != nil {
		return nil, err
	}
	if err := enc.EncodeToken(packet.End()); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// response is a decoded answer packet.
type response struct {
	// system is set when Plesk rejected the whole packet.
	system *result
	// ops are the operation elements of the answer's operator, in order.
	ops []opResult
}

// opResult is one operation element of an answer with its results.
type opResult struct {
	name    string
	results []result
}

// result is a resultType element with the children any dns or site
// operation may add; absent children stay empty.
type result struct {
	Status     string      `xml:"status"`
	ErrCode    int         `xml:"errcode"`
	ErrText    string      `xml:"errtext"`
	FilterID   string      `xml:"filter-id"`
	ID         string      `xml:"id"`
	SiteID     string      `xml:"site-id"`
	Data       *resultData `xml:"data"`
	SOA        *soaFields  `xml:"soa"`
	ZoneType   string      `xml:"zone_type"`
	ZoneStatus string      `xml:"zone_status"`
	IPAddress  string      `xml:"ip_address"`
}

// resultData is get_rec's record, or site get's gen_info.
type resultData struct {
	SiteID  string   `xml:"site-id"`
	Type    string   `xml:"type"`
	Host    string   `xml:"host"`
	Value   string   `xml:"value"`
	Opt     string   `xml:"opt"`
	GenInfo *genInfo `xml:"gen_info"`
}

// genInfo is the part of a site's general info the provider reads.
type genInfo struct {
	Name      string `xml:"name"`
	ASCIIName string `xml:"ascii-name"`
}

// err returns the result's error, or nil when its status is ok.
func (r *result) err() error {
	switch strings.TrimSpace(r.Status) {
	case "ok":
		return nil
	case "error":
	case "":
		return errors.New("Plesk's result holds no status (ok or error)")
	default:
		return fmt.Errorf("unexpected result status %q", r.Status)
	}
	return &APIError{Code: r.ErrCode, Text: strings.TrimSpace(r.ErrText)}
}

// id parses the result's id as a positive number.
func parseID(s string) (recordID, error) {
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("id %q is not a positive number", s)
	}
	return recordID(n), nil
}

// decodeResponse reads an answer packet of the given operator.
func decodeResponse(body []byte, operator string) (*response, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, fmt.Errorf("unreadable answer: %v", err)
		}
		if t, ok := tok.(xml.StartElement); ok {
			if t.Name.Local != "packet" {
				return nil, fmt.Errorf("unreadable answer: root element <%s>, not <packet>", t.Name.Local)
			}
			break
		}
	}
	out := &response{}
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, fmt.Errorf("unreadable answer: %v", err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return out, nil
		case xml.StartElement:
			switch t.Name.Local {
			case "system":
				var r result
				if err := d.DecodeElement(&r, &t); err != nil {
					return nil, fmt.Errorf("unreadable answer: %v", err)
				}
				out.system = &r
			case operator:
				ops, err := decodeOperator(d)
				if err != nil {
					return nil, err
				}
				out.ops = append(out.ops, ops...)
			default:
				if err := d.Skip(); err != nil {
					return nil, fmt.Errorf("unreadable answer: %v", err)
				}
			}
		}
	}
}

// decodeOperator reads the operation elements inside an operator element.
func decodeOperator(d *xml.Decoder) ([]opResult, error) {
	var ops []opResult
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, fmt.Errorf("unreadable answer: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			var body struct {
				Results []result `xml:"result"`
			}
			if err := d.DecodeElement(&body, &t); err != nil {
				return nil, fmt.Errorf("unreadable answer: %v", err)
			}
			ops = append(ops, opResult{name: t.Name.Local, results: body.Results})
		case xml.EndElement:
			return ops, nil
		}
	}
}
