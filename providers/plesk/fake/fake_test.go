package fake

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/providers/faults"
)

const (
	login    = "admin"
	password = "pw-123456"
	key      = "key-abcdef"
)

// newServer returns a fake with the given sites (ids 1, 2, … in order).
func newServer(t *testing.T, sites ...string) (*Server, *httptest.Server) {
	t.Helper()
	s := New(Options{Login: login, Password: password, SecretKey: key})
	for _, name := range sites {
		_, err := s.AddSite(name)
		require.NoError(t, err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

// post sends a packet with login headers unless headers are given.
func post(t *testing.T, srv *httptest.Server, body string, headers ...string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+AgentPath, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "text/xml")
	if headers == nil {
		headers = []string{"HTTP_AUTH_LOGIN", login, "HTTP_AUTH_PASSWD", password}
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header[headers[i]] = []string{headers[i+1]}
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return canonical(t, string(b))
}

// canonical re-serialises XML without the declaration and without
// whitespace between elements, so answers compare by meaning.
func canonical(t *testing.T, doc string) string {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	var b bytes.Buffer
	enc := xml.NewEncoder(&b)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err, "answer is not XML:\n%s", doc)
		switch v := tok.(type) {
		case xml.ProcInst, xml.Comment:
			continue
		case xml.CharData:
			if strings.TrimSpace(string(v)) == "" {
				continue
			}
		}
		require.NoError(t, enc.EncodeToken(xml.CopyToken(tok)))
	}
	require.NoError(t, enc.Flush())
	return b.String()
}

// encodedText is text as canonical writes it.
func encodedText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// TestSwitchSeedExamples reproduces the two switch samples of the Plesk
// 10.1 docs: one site switched; two sites where the second does not exist.
func TestSwitchSeedExamples(t *testing.T) {
	for _, tc := range []struct {
		name, request, want string
	}{
		{
			name: "single site",
			request: `<packet version="1.6.3.0">
<dns>
 <switch>
  <filter>
   <site-id>1</site-id>
  </filter>
  <zone_type>slave</zone_type>
 </switch>
</dns>
</packet>`,
			want: `<packet version="1.6.3.0"><dns><switch><result><status>ok</status><site-id>1</site-id></result></switch></dns></packet>`,
		},
		{
			name: "second site does not exist",
			request: `<packet version="1.6.3.0">
<dns>
 <switch>
  <filter>
   <site-id>1</site-id>
   <site-id>2</site-id>
  </filter>
  <zone_type>slave</zone_type>
 </switch>
</dns>
</packet>`,
			want: `<packet version="1.6.3.0"><dns><switch><result><status>ok</status><site-id>1</site-id></result>` +
				`<result><status>error</status><errcode>1015</errcode><errtext>site does not exist</errtext><site-id>2</site-id></result></switch></dns></packet>`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, srv := newServer(t, "example.com")
			require.Empty(t, cmp.Diff(canonical(t, tc.want), post(t, srv, tc.request)), "answer (-want +got)")
			z, _ := s.Zone("example.com")
			assert.Equal(t, "slave", z.Type, "zone type after the switch")
		})
	}
}

// TestSchemaRejects checks that packets Plesk's XSD refuses are refused
// whole, with a 1014 system error, and run nothing.
func TestSchemaRejects(t *testing.T) {
	for _, tc := range []struct {
		name, body, detail string
	}{
		{"misordered add_rec", `<packet version="1.6.7.0"><dns><add_rec><site-id>1</site-id><host>www</host><type>A</type><value>192.0.2.1</value></add_rec></dns></packet>`,
			"Element 'host': This element is not expected. Expected is ( type )."},
		{"unknown element in add_rec", `<packet version="1.6.7.0"><dns><add_rec><site-id>1</site-id><type>A</type><host>www</host><value>192.0.2.1</value><ttl>300</ttl></add_rec></dns></packet>`,
			"Element 'ttl': This element is not expected."},
		{"unknown dns operation", `<packet version="1.6.7.0"><dns><modify_rec/></dns></packet>`,
			"Element 'modify_rec': This element is not expected."},
		{"later bad operation refuses earlier good one", `<packet version="1.6.7.0"><dns><add_rec><site-id>1</site-id><type>A</type><host>www</host><value>192.0.2.1</value></add_rec><del_rec/></dns></packet>`,
			"Element 'del_rec': Missing child element(s). Expected is ( filter )."},
		{"switch with empty filter", `<packet version="1.6.7.0"><dns><switch><filter/><zone_type>slave</zone_type></switch></dns></packet>`,
			"Element 'filter': Missing child element(s)."},
		{"zone_type outside the enum", `<packet version="1.6.7.0"><dns><switch><filter><site-id>1</site-id></filter><zone_type>primary</zone_type></switch></dns></packet>`,
			"[facet 'enumeration'] The value 'primary'"},
		{"id that is not positive", `<packet version="1.6.7.0"><dns><del_rec><filter><id>0</id></filter></del_rec></dns></packet>`,
			"'0' is not a valid value of the atomic type 'id_type'."},
		{"mixed filter kinds", `<packet version="1.6.7.0"><dns><get_rec><filter><site-id>1</site-id><id>4</id></filter></get_rec></dns></packet>`,
			"Element 'id': This element is not expected. Expected is ( site-id )."},
		{"DS before 1.6.7.0", `<packet version="1.6.3.0"><dns><add_rec><site-id>1</site-id><type>DS</type><host></host><value>60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118</value></add_rec></dns></packet>`,
			"The value 'DS' is not an element of the set"},
		{"CAA is no type of the API", `<packet version="1.6.9.1"><dns><add_rec><site-id>1</site-id><type>CAA</type><host></host><value>0 issue "x"</value></add_rec></dns></packet>`,
			"The value 'CAA' is not an element of the set"},
		{"no operator", `<packet version="1.6.7.0"></packet>`, "Missing child element(s)"},
		{"not well-formed", `<packet version="1.6.7.0"><dns><get_rec>`, "not well-formed"},
		{"text beside elements", `<packet version="1.6.7.0"><dns>hello<get_rec><filter><site-id>1</site-id></filter></get_rec></dns></packet>`,
			"Character content other than whitespace"},
		{"set with a field twice", `<packet version="1.6.7.0"><dns><set><filter><site-id>1</site-id></filter><soa><ttl>1</ttl><ttl>2</ttl></soa></set></dns></packet>`,
			"Element 'ttl': This element is not expected."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, srv := newServer(t, "example.com")
			got := post(t, srv, tc.body)
			require.Contains(t, got, "<system><status>error</status><errcode>1014</errcode><errtext>Parser error: Request is invalid.", "want a 1014 system error")
			assert.Contains(t, got, encodedText(tc.detail))
			assert.Zero(t, s.Packets(), "a refused packet ran")
			assert.Empty(t, s.Records("example.com"), "a refused packet ran")
		})
	}
}

// TestSystemErrors checks version and authentication pre-checks.
func TestSystemErrors(t *testing.T) {
	get := `<get_rec><filter><site-id>1</site-id></filter></get_rec>`
	for _, tc := range []struct {
		name    string
		version string
		headers []string
		want    string // "" for success
	}{
		{"login", `version="1.6.7.0"`, nil, ""},
		{"key", `version="1.6.7.0"`, []string{"KEY", key}, ""},
		{"no version runs as the latest", ``, nil, ""},
		{"unsupported version", `version="1.4.2.0"`, nil, "<errcode>1005</errcode><errtext>XML API protocol version not supported.</errtext>"},
		{"wrong password", `version="1.6.7.0"`, []string{"HTTP_AUTH_LOGIN", login, "HTTP_AUTH_PASSWD", "nope"}, "<errcode>1001</errcode><errtext>Authentication failed - wrong password.</errtext>"},
		{"wrong login", `version="1.6.7.0"`, []string{"HTTP_AUTH_LOGIN", "root", "HTTP_AUTH_PASSWD", password}, "<errcode>1001</errcode>"},
		{"wrong key", `version="1.6.7.0"`, []string{"KEY", "other"}, "<errcode>11003</errcode><errtext>Secret key validation failed.</errtext>"},
		{"no credentials", `version="1.6.7.0"`, []string{}, "<errcode>1029</errcode>"},
		{"header names in other case", `version="1.6.7.0"`, []string{"Http_Auth_Login", login, "http_auth_passwd", password}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, srv := newServer(t, "example.com")
			got := post(t, srv, "<packet "+tc.version+"><dns>"+get+"</dns></packet>", tc.headers...)
			if tc.want == "" {
				assert.NotContains(t, got, "<system>", "want the packet run")
				assert.Equal(t, 1, s.Packets(), "packets run")
				return
			}
			assert.Contains(t, got, "<system><status>error</status>"+tc.want)
			assert.Zero(t, s.Packets(), "packets run")
		})
	}
}

// TestResultErrors checks the per-result errors the docs show.
func TestResultErrors(t *testing.T) {
	for _, tc := range []struct {
		name, ops, want string
	}{
		{"del_rec of an unknown id", `<del_rec><filter><id>75</id></filter></del_rec>`,
			`<del_rec><result><status>error</status><errcode>1013</errcode><errtext>DNS record does not exist.</errtext><id>75</id></result></del_rec>`},
		{"get_rec of an unknown id answers nothing", `<get_rec><filter><id>75</id></filter></get_rec>`, `<get_rec></get_rec>`},
		{"get_master_server of an unknown id", `<get_master_server><filter><id>5</id></filter></get_master_server>`,
			`<get_master_server><result><status>error</status><errcode>1013</errcode><errtext>Master server is not found. ID : 5</errtext></result></get_master_server>`},
		{"get_master_server of an unknown site", `<get_master_server><filter><site-id>9</site-id></filter></get_master_server>`,
			`<get_master_server><result><status>error</status><errcode>1015</errcode><errtext>site does not exist.</errtext></result></get_master_server>`},
		{"add_rec of a bad address", `<add_rec><site-id>1</site-id><type>A</type><host>www</host><value>192.0.2.300</value></add_rec>`,
			`<add_rec><result><status>error</status><errcode>1019</errcode><errtext>Invalid value.</errtext></result></add_rec>`},
		{"add_rec to an unknown site", `<add_rec><site-id>9</site-id><type>A</type><host>www</host><value>192.0.2.1</value></add_rec>`,
			`<add_rec><result><status>error</status><errcode>1015</errcode><errtext>site does not exist.</errtext></result></add_rec>`},
		{"add_rec twice", `<add_rec><site-id>1</site-id><type>A</type><host>www</host><value>192.0.2.1</value></add_rec><add_rec><site-id>1</site-id><type>A</type><host>www.example.com</host><value>192.0.2.1</value></add_rec>`,
			`<add_rec><result><status>ok</status><id>4</id></result></add_rec><add_rec><result><status>error</status><errcode>1007</errcode><errtext>Inserted data already exists.</errtext></result></add_rec>`},
		{"CNAME beside other data", `<add_rec><site-id>1</site-id><type>A</type><host>www</host><value>192.0.2.1</value></add_rec><add_rec><site-id>1</site-id><type>CNAME</type><host>www</host><value>example.net</value></add_rec>`,
			`<add_rec><result><status>ok</status><id>4</id></result></add_rec><add_rec><result><status>error</status><errcode>1007</errcode>` +
				`<errtext>Inserted data already exists: a CNAME record cannot share its host with other records.</errtext></result></add_rec>`},
		{"get of a zone", `<get><filter><site-id>1</site-id></filter><soa/></get>`,
			`<get><result><status>ok</status><site-id>1</site-id><soa><ttl>86400</ttl><refresh>10800</refresh><retry>3600</retry><expire>604800</expire><minimum>10800</minimum></soa><zone_type>master</zone_type><zone_status>enabled</zone_status></result></get>`},
		{"get without soa", `<get><filter><site-id>1</site-id></filter></get>`,
			`<get><result><status>ok</status><site-id>1</site-id><zone_type>master</zone_type><zone_status>enabled</zone_status></result></get>`},
		{"set of two sites, one missing", `<set><filter><site-id>1</site-id><site-id>13</site-id></filter><soa><ttl>300</ttl></soa></set>`,
			`<set><result><status>ok</status><site-id>1</site-id></result><result><status>error</status><errcode>1015</errcode><errtext>site does not exist.</errtext><site-id>13</site-id></result></set>`},
		{"site get of an unknown name", `<get_rec><filter><site-id>1</site-id></filter></get_rec></dns><site><get><filter><name>nope.example</name></filter><dataset><gen_info/></dataset></get></site><dns><get_rec><filter><site-id>1</site-id></filter></get_rec>`,
			`<site><get><result><status>error</status><errcode>1013</errcode><errtext>Site does not exist</errtext><filter-id>nope.example</filter-id></result></get></site>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, srv := newServer(t, "example.com")
			got := post(t, srv, `<packet version="1.6.7.0"><dns>`+tc.ops+`</dns></packet>`)
			assert.Contains(t, got, canonical(t, tc.want))
		})
	}
}

// TestEmptyFiltersReachEverything checks the documented behaviour the
// client must never trigger: an empty del_rec filter deletes every record
// of the server, a get or set without filter works on the zone template.
func TestEmptyFiltersReachEverything(t *testing.T) {
	s, srv := newServer(t, "a.example", "b.example")
	for _, site := range []string{"a.example", "b.example"} {
		_, err := s.AddRecord(site, "A", "www", "192.0.2.1", "")
		require.NoError(t, err)
	}
	got := post(t, srv, `<packet version="1.6.7.0"><dns><del_rec><filter/></del_rec></dns></packet>`)
	assert.Equal(t, 2, strings.Count(got, "<status>ok</status>"), "empty del_rec filter: answer %s", got)
	assert.Zero(t, s.RecordCount(), "empty del_rec filter: records left")
	got = post(t, srv, `<packet version="1.6.7.0"><dns><get><soa/></get><set><soa><ttl>60</ttl></soa></set></dns></packet>`)
	assert.Contains(t, got, "<ttl>86400</ttl>", "get without filter: want the template's SOA")
	z, _ := s.Zone("a.example")
	assert.Equal(t, uint32(86400), z.TTL, "set without filter changed a zone's TTL")
	assert.Len(t, s.Dangerous(), 3, "Dangerous(): the del_rec, the get and the set")
}

// TestHostsAndValues checks how add_rec's fields are stored and read back.
func TestHostsAndValues(t *testing.T) {
	for _, tc := range []struct {
		typ, host, value, opt string
		want                  Record
	}{
		{"A", "", "192.0.2.1", "", Record{Type: "A", Host: "Example.com.", Value: "192.0.2.1"}},
		{"A", "Example.com", "192.0.2.1", "", Record{Type: "A", Host: "Example.com.", Value: "192.0.2.1"}},
		{"A", "www", "192.0.2.1", "", Record{Type: "A", Host: "www.Example.com.", Value: "192.0.2.1"}},
		{"MX", "", "mail.example.net", "10", Record{Type: "MX", Host: "Example.com.", Value: "mail.example.net.", Opt: "10"}},
		{"SRV", "_sip._tcp", "sip.example.net.", "10  60 5060", Record{Type: "SRV", Host: "_sip._tcp.Example.com.", Value: "sip.example.net.", Opt: "10 60 5060"}},
		{"TXT", "txt", " spaced text ", "", Record{Type: "TXT", Host: "txt.Example.com.", Value: " spaced text "}},
		{"CNAME", "*.dyn", "target.example.net", "", Record{Type: "CNAME", Host: "*.dyn.Example.com.", Value: "target.example.net."}},
	} {
		t.Run(tc.typ+" "+tc.host, func(t *testing.T) {
			s, _ := newServer(t, "Example.com")
			_, err := s.AddRecord("example.com", tc.typ, tc.host, tc.value, tc.opt)
			require.NoError(t, err)
			got := s.Records("example.com")[0]
			got.ID, got.SiteID = 0, 0
			assert.Empty(t, cmp.Diff(tc.want, got), "stored (-want +got)")
		})
	}
	for _, bad := range [][4]string{
		{"A", "www", "2001:db8::1", ""}, {"AAAA", "www", "192.0.2.1", ""}, {"MX", "", "mail.example.net", ""},
		{"SRV", "_sip._tcp", "sip.example.net", "10 60"}, {"A", "bad host", "192.0.2.1", ""},
		{"A", "www.other.org.", "192.0.2.1", ""}, {"A", "www", "192.0.2.1", "10"}, {"SOA", "", "x", ""},
	} {
		s, _ := newServer(t, "example.com")
		_, err := s.AddRecord("example.com", bad[0], bad[1], bad[2], bad[3])
		assert.ErrorContains(t, err, "1019", "add_rec %q", bad)
	}
}

// TestSeed checks that a model zone seeds a site with its settings.
func TestSeed(t *testing.T) {
	s := New(Options{Login: login, Password: password})
	z := &model.Zone{Name: "example.org", Mode: model.Master, TTL: 300, SOA: &model.SOA{Refresh: 7200},
		Records: []*model.RecordSet{
			{Name: "@", Type: "MX", Values: []string{"10 mail.example.org."}},
			{Name: "_sip._udp", Type: "SRV", Values: []string{"0 5 5060 sip.example.org."}},
			{Name: "txt", Type: "TXT", Values: []string{`"a \"quoted\" text"`}},
		}}
	require.NoError(t, s.Seed(z))
	want := []Record{
		{Type: "MX", Host: "example.org.", Value: "mail.example.org.", Opt: "10"},
		{Type: "SRV", Host: "_sip._udp.example.org.", Value: "sip.example.org.", Opt: "0 5 5060"},
		{Type: "TXT", Host: "txt.example.org.", Value: `a "quoted" text`},
	}
	got := s.Records("example.org")
	for i := range got {
		got[i].ID, got[i].SiteID = 0, 0
	}
	assert.Empty(t, cmp.Diff(want, got), "records (-want +got)")
	zs, _ := s.Zone("example.org")
	assert.Equal(t, uint32(300), zs.TTL)
	assert.Equal(t, uint32(7200), zs.Refresh)
	assert.Equal(t, defaultSOA.retry, zs.Retry, "the default retry")
	assert.Error(t, s.Seed(z), "seeding the same zone twice succeeded")
	bad := &model.Zone{Name: "bad.example", Records: []*model.RecordSet{{Name: "x", Type: "CAA", Values: []string{`0 issue "ca.example"`}}}}
	assert.Error(t, s.Seed(bad), "seeding a CAA record succeeded")
	_, ok := s.SiteID("bad.example")
	assert.False(t, ok, "a failed seed left its site behind")
}

// TestFaultsAndCounting checks the injector sits in front of the server
// and that operations are counted one per element.
func TestFaultsAndCounting(t *testing.T) {
	s, srv := newServer(t, "example.com")
	s.Faults().Script(faults.ServerError)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+AgentPath, strings.NewReader(`<packet/>`))
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, "scripted 5xx")
	add := `<add_rec><site-id>1</site-id><type>A</type><host>h%d</host><value>192.0.2.1</value></add_rec>`
	post(t, srv, `<packet version="1.6.7.0"><dns>`+strings.ReplaceAll(add, "%d", "1")+strings.ReplaceAll(add, "%d", "2")+
		`<get_rec><filter><site-id>1</site-id></filter></get_rec></dns></packet>`)
	assert.Equal(t, 2, s.Calls("dns/add_rec"), "Calls(dns/add_rec)")
	assert.Equal(t, 1, s.Calls("dns/get_rec"), "Calls(dns/get_rec)")
	assert.Equal(t, 2, s.Faults().Calls(AgentPath), "requests counted by the injector")
}
