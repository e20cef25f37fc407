package fake

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Record is a record as the API holds it, addressed by all three fields.
type Record struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	RData string `json:"rData"`
}

// Domain is a snapshot of one domain's state, for tests.
type Domain struct {
	ID       string
	Customer string
	Product  string
	Serial   int64
	TTL      int64
	Status   string
	Records  []Record
}

// domain is one domain's state.
type domain struct {
	id, customer, product string
	invoicedUntil         time.Time
	serial, ttl           int64
	status                string
	records               []Record
}

// Delegation status values.
const (
	StatusOK       = "OK"
	StatusNotExist = "NOT_EXIST"
	StatusWrongNS  = "WRONG_NS"
)

// full is the full DNS object.
func (d *domain) full() map[string]any {
	recs := d.records
	if recs == nil {
		recs = []Record{}
	}
	return map[string]any{
		"_id": d.id, "customer": d.customer, "product": d.product,
		"invoicedUntil": d.invoicedUntil.UTC().Format("2006-01-02T15:04:05.000Z"),
		"serial":        d.serial, "ttl": d.ttl, "status": d.status, "records": recs,
	}
}

// condensed is the DNS object of a list without full: records is a count
// and ttl a string, as documented.
func (d *domain) condensed() map[string]any {
	return map[string]any{"_id": d.id, "records": len(d.records), "ttl": strconv.FormatInt(d.ttl, 10), "status": d.status}
}

// changed bumps the serial, YYYYMMDDnn style, after every change.
func (s *Server) changed(d *domain) { d.serial = nextSerial(d.serial, s.now()) }

// nextSerial is YYYYMMDD00 of now when that is higher than old, else old+1.
func nextSerial(old int64, now time.Time) int64 {
	y, m, day := now.UTC().Date()
	base := int64(y*1000000 + int(m)*10000 + day*100)
	return max(base, old+1)
}

// list is GET /dns: offset, limit (1..500, default 100), customer, filter, full.
func (s *Server) list(w http.ResponseWriter, r *http.Request, sess *session) {
	q := r.URL.Query()
	offset, limit := 0, 100
	for _, p := range []struct {
		key  string
		dst  *int
		min  int
		max  int
		fail apiError
	}{{"offset", &offset, 0, int(^uint(0) >> 1), errOffset}, {"limit", &limit, 1, 500, errLimit}} {
		v := q.Get(p.key)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			errBadURL.write(w)
			return
		}
		if n < p.min || n > p.max {
			p.fail.write(w)
			return
		}
		*p.dst = n
	}
	customer := q.Get("customer")
	if customer == "" {
		customer = sess.customer
	}
	if _, known := s.customers[customer]; !known {
		errCustomerNotFound.write(w)
		return
	}
	if !s.mayRead(sess, customer) {
		errAccessDenied.write(w)
		return
	}
	filter := strings.ToLower(q.Get("filter"))
	full := q.Get("full") == "true"
	var matched []*domain
	for _, d := range s.domains {
		if d.customer == customer && d.matches(filter) {
			matched = append(matched, d)
		}
	}
	sort.Slice(matched, func(i, j int) bool { return matched[i].id < matched[j].id })
	page := []map[string]any{}
	for i := offset; i < len(matched) && i < offset+limit; i++ {
		if full {
			page = append(page, matched[i].full())
		} else {
			page = append(page, matched[i].condensed())
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"offset": offset, "limit": limit, "total": len(matched), "dns": page})
}

// matches is the list's filter: it searches domain names and records.
func (d *domain) matches(filter string) bool {
	if filter == "" || strings.Contains(d.id, filter) {
		return true
	}
	for _, rec := range d.records {
		if strings.Contains(strings.ToLower(rec.Name), filter) || strings.Contains(strings.ToLower(rec.RData), filter) {
			return true
		}
	}
	return false
}

// find returns the domain of the path with the caller's access checked; it
// writes the error and returns nil when there is none.
func (s *Server) find(w http.ResponseWriter, r *http.Request, sess *session, write bool) *domain {
	d := s.domains[strings.ToLower(r.PathValue("domain"))]
	if d == nil {
		errDNSNotFound.write(w)
		return nil
	}
	if !s.mayRead(sess, d.customer) || write && !s.mayWrite(sess, d.customer) {
		errAccessDenied.write(w)
		return nil
	}
	return d
}

// getDomain is GET /dns/DOMAIN.
func (s *Server) getDomain(w http.ResponseWriter, r *http.Request, sess *session) {
	if d := s.find(w, r, sess, false); d != nil {
		writeJSON(w, http.StatusOK, d.full())
	}
}

// check is GET /dns/DOMAIN/check.
func (s *Server) check(w http.ResponseWriter, r *http.Request, sess *session) {
	if d := s.find(w, r, sess, false); d != nil {
		writeJSON(w, http.StatusOK, map[string]any{"status": d.status})
	}
}

// body decodes a JSON object into its fields; it writes the error and
// returns nil when the body is not one.
func body(w http.ResponseWriter, r *http.Request) map[string]json.RawMessage {
	var fields map[string]json.RawMessage
	if err := json.NewDecoder(r.Body).Decode(&fields); err != nil || fields == nil {
		errBadBody.write(w)
		return nil
	}
	return fields
}

// str reads a string field; ok is false when it is present but not a string.
func str(fields map[string]json.RawMessage, key string) (v string, present, ok bool) {
	raw, present := fields[key]
	if !present {
		return "", false, true
	}
	return v, true, json.Unmarshal(raw, &v) == nil
}

// ttlField reads a ttl field; ok is false when it is present but not a TTL the fake accepts.
func ttlField(fields map[string]json.RawMessage) (ttl int64, present, ok bool) {
	raw, present := fields["ttl"]
	if !present {
		return 0, false, true
	}
	if err := json.Unmarshal(raw, &ttl); err != nil {
		return 0, true, false
	}
	return ttl, true, validTTL(ttl)
}

// createDomain is POST /dns: _id, customer, product, ttl (default 86400).
func (s *Server) createDomain(w http.ResponseWriter, r *http.Request, sess *session) {
	fields := body(w, r)
	if fields == nil {
		return
	}
	id, _, ok := str(fields, "_id")
	id = strings.ToLower(id)
	if !ok || !validDomain(id) {
		errID.write(w)
		return
	}
	customer, present, ok := str(fields, "customer")
	if !present || customer == "" {
		customer = sess.customer
	}
	if _, known := s.customers[customer]; !ok || !known || !s.mayWrite(sess, customer) {
		errAccessDenied.write(w)
		return
	}
	product, present, ok := str(fields, "product")
	if !present || product == "" {
		product = DefaultProduct
	}
	if !ok || !s.products[product] {
		errProductNotFound.write(w)
		return
	}
	ttl, present, ok := ttlField(fields)
	if !ok {
		errTTL.write(w)
		return
	}
	if !present {
		ttl = 86400
	}
	if old := s.domains[id]; old != nil {
		if old.customer == customer {
			errDomainExists.write(w)
		} else {
			errCreateDenied.write(w)
		}
		return
	}
	d := &domain{id: id, customer: customer, product: product, ttl: ttl, status: StatusOK,
		invoicedUntil: s.now().AddDate(1, 0, 0), serial: nextSerial(0, s.now())}
	s.domains[id] = d
	writeJSON(w, http.StatusOK, d.full())
}

// updateDomain is POST /dns/DOMAIN: product and/or ttl.
func (s *Server) updateDomain(w http.ResponseWriter, r *http.Request, sess *session) {
	d := s.find(w, r, sess, true)
	if d == nil {
		return
	}
	fields := body(w, r)
	if fields == nil {
		return
	}
	ttl, setTTL, ok := ttlField(fields)
	if !ok {
		errTTL.write(w)
		return
	}
	product, setProduct, ok := str(fields, "product")
	if setProduct && (!ok || !s.products[product]) {
		errProductNotFound.write(w)
		return
	}
	if setTTL && ttl != d.ttl || setProduct && product != d.product {
		if setTTL {
			d.ttl = ttl
		}
		if setProduct {
			d.product = product
		}
		s.changed(d)
	}
	writeJSON(w, http.StatusOK, d.full())
}

// deleteDomain is DELETE /dns/DOMAIN. Like the wiki's example URL for
// deleting a record, it may carry a query; the fake then still deletes the
// whole domain, the worst reading, so that a client sending it is caught.
func (s *Server) deleteDomain(w http.ResponseWriter, r *http.Request, sess *session) {
	d := s.find(w, r, sess, true)
	if d == nil {
		return
	}
	delete(s.domains, d.id)
	writeJSON(w, http.StatusOK, map[string]any{"success": true})
}

// recordFields reads name, type and rData of a record body; ok is false
// when one of them is missing or not a string.
func recordFields(fields map[string]json.RawMessage) (rec Record, ok bool) {
	var okN, okT, okR, pN, pT, pR bool
	rec.Name, pN, okN = str(fields, "name")
	rec.Type, pT, okT = str(fields, "type")
	rec.RData, pR, okR = str(fields, "rData")
	return rec, pN && pT && pR && okN && okT && okR
}

// validRecord checks a record as the record endpoints do, in the wiki's
// table order: name, type, rData.
func validRecord(rec Record) *apiError {
	switch {
	case !validName(rec.Name):
		return &errName
	case !validType(rec.Type):
		return &errType
	case !validRData(rec.Type, rec.RData):
		return &errRData
	}
	return nil
}

// createRecord is POST /dns/DOMAIN/record.
func (s *Server) createRecord(w http.ResponseWriter, r *http.Request, sess *session) {
	d := s.find(w, r, sess, true)
	if d == nil {
		return
	}
	fields := body(w, r)
	if fields == nil {
		return
	}
	rec, ok := recordFields(fields)
	if !ok {
		// A missing field is treated as an invalid one, in table order.
		_, hasName := fields["name"]
		_, hasType := fields["type"]
		switch {
		case !hasName:
			errName.write(w)
		case !hasType:
			errType.write(w)
		default:
			errRData.write(w)
		}
		return
	}
	if fail := validRecord(rec); fail != nil {
		fail.write(w)
		return
	}
	if slices.Contains(d.records, rec) {
		errDuplicate.write(w)
		return
	}
	d.records = append(d.records, rec)
	s.changed(d)
	writeJSON(w, http.StatusOK, map[string]any{"success": true})
}

// updateRecord is PUT /dns/DOMAIN/record: the current triple and new rData.
func (s *Server) updateRecord(w http.ResponseWriter, r *http.Request, sess *session) {
	d := s.find(w, r, sess, true)
	if d == nil {
		return
	}
	fields := body(w, r)
	if fields == nil {
		return
	}
	old, ok := recordFields(fields)
	if !ok {
		errPrevious.write(w)
		return
	}
	i := slices.Index(d.records, old)
	if i < 0 {
		errRecordNotFound.write(w)
		return
	}
	newRData, present, ok := str(fields, "new")
	if !present || !ok || !validRData(old.Type, newRData) {
		errRData.write(w)
		return
	}
	next := Record{Name: old.Name, Type: old.Type, RData: newRData}
	if next == old {
		writeJSON(w, http.StatusOK, map[string]any{"success": true})
		return
	}
	if slices.Contains(d.records, next) {
		// Not in the update page's table; the create page's duplicate row.
		errDuplicate.write(w)
		return
	}
	d.records[i] = next
	s.changed(d)
	writeJSON(w, http.StatusOK, map[string]any{"success": true})
}

// deleteRecord is DELETE /dns/DOMAIN/record?name=&type=&rData=.
func (s *Server) deleteRecord(w http.ResponseWriter, r *http.Request, sess *session) {
	d := s.find(w, r, sess, true)
	if d == nil {
		return
	}
	q := r.URL.Query()
	rec := Record{Name: q.Get("name"), Type: q.Get("type"), RData: q.Get("rData")}
	i := slices.Index(d.records, rec)
	if !q.Has("name") || !q.Has("type") || !q.Has("rData") || i < 0 {
		errRecordNotFound.write(w)
		return
	}
	d.records = slices.Delete(d.records, i, i+1)
	s.changed(d)
	writeJSON(w, http.StatusOK, map[string]any{"success": true})
}
