package fake

import (
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDocumentedSwitchRows drives the fake through every row of Plesk's
// page on the switch operation
// (https://docs.plesk.com/en-US/onyx/api-rpc/reference/managing-dns/managing-name-servers/switching-name-server-mode.34992/):
// the request structure (filter and zone_type required, in that order;
// zone_type master or slave; several switch operations in one packet), the
// response structure (a result per site, status ok or error, errcode and
// errtext on error, the site-id or site-alias-id given back) and both
// samples, sent exactly as the page prints them.
func TestDocumentedSwitchRows(t *testing.T) {
	// parseError is the start of the 1014 system error the fake answers a
	// packet its schema refuses with; the detail after it is a guess.
	const parseError = `<packet><system><status>error</status><errcode>1014</errcode><errtext>Parser error: Request is invalid.`
	for _, tc := range []struct {
		name, request string
		// want is the whole answer; wantPrefix its start, for system errors.
		want, wantPrefix string
		// zoneType is site 1's zone type afterwards.
		zoneType string
	}{
		{
			name: "sample: a single name server",
			request: `<packet>
    <dns>
        <switch>
            <filter>
                <site-id>1</site-id>
            </filter>
            <zone_type>slave</zone_type>
        </switch>
    </dns>
</packet>`,
			want: `<packet>
    <dns>
        <switch>
            <result>
                <status>ok</status>
                <site-id>1</site-id>
            </result>
        </switch>
    </dns>
</packet>`,
			zoneType: "slave",
		},
		{
			name: "sample: site 2 not found",
			request: `<packet>
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
			want: `<packet>
    <dns>
        <switch>
            <result>
                <status>ok</status>
                <site-id>1</site-id>
            </result>
            <result>
                <status>error</status>
                <errcode>1015</errcode>
                <errtext>site does not exist</errtext>
                <site-id>2</site-id>
            </result>
        </switch>
    </dns>
</packet>`,
			zoneType: "slave",
		},
		{
			name:     "zone_type master",
			request:  `<packet><dns><switch><filter><site-id>1</site-id></filter><zone_type>master</zone_type></switch></dns></packet>`,
			want:     `<packet><dns><switch><result><status>ok</status><site-id>1</site-id></result></switch></dns></packet>`,
			zoneType: "master",
		},
		{
			name: "several switch operations in one packet",
			request: `<packet><dns><switch><filter><site-id>1</site-id></filter><zone_type>slave</zone_type></switch>` +
				`<switch><filter><site-id>2</site-id></filter><zone_type>master</zone_type></switch></dns></packet>`,
			want: `<packet><dns><switch><result><status>ok</status><site-id>1</site-id></result></switch>` +
				`<switch><result><status>error</status><errcode>1015</errcode><errtext>site does not exist</errtext><site-id>2</site-id></result></switch></dns></packet>`,
			zoneType: "slave",
		},
		{
			// The page: site-alias-id is given back when it was the filter.
			// The fake keeps no aliases; its error text is a guess.
			name:     "site-alias-id filter is answered with the site-alias-id",
			request:  `<packet><dns><switch><filter><site-alias-id>7</site-alias-id></filter><zone_type>slave</zone_type></switch></dns></packet>`,
			want:     `<packet><dns><switch><result><status>error</status><errcode>1013</errcode><errtext>Object not found.</errtext><site-alias-id>7</site-alias-id></result></switch></dns></packet>`,
			zoneType: "master",
		},
		{
			name:       "zone_type other than master or slave",
			request:    `<packet><dns><switch><filter><site-id>1</site-id></filter><zone_type>primary</zone_type></switch></dns></packet>`,
			wantPrefix: parseError,
			zoneType:   "master",
		},
		{
			name:       "filter is required",
			request:    `<packet><dns><switch><zone_type>slave</zone_type></switch></dns></packet>`,
			wantPrefix: parseError,
			zoneType:   "master",
		},
		{
			name:       "zone_type is required",
			request:    `<packet><dns><switch><filter><site-id>1</site-id></filter></switch></dns></packet>`,
			wantPrefix: parseError,
			zoneType:   "master",
		},
		{
			name:       "nodes in the order of the packet structure",
			request:    `<packet><dns><switch><zone_type>slave</zone_type><filter><site-id>1</site-id></filter></switch></dns></packet>`,
			wantPrefix: parseError,
			zoneType:   "master",
		},
		{
			name:       "a filter names at least one site",
			request:    `<packet><dns><switch><filter/><zone_type>slave</zone_type></switch></dns></packet>`,
			wantPrefix: parseError,
			zoneType:   "master",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, srv := newServer(t, "example.com")
			got := post(t, srv, tc.request)
			if tc.want != "" {
				assert.Empty(t, cmp.Diff(canonical(t, tc.want), got), "answer (-want +got)")
			} else {
				assert.Regexp(t, "^"+regexp.QuoteMeta(tc.wantPrefix), got)
				assert.Zero(t, s.Packets(), "a refused packet ran")
			}
			z, ok := s.Zone("example.com")
			require.True(t, ok)
			assert.Equal(t, tc.zoneType, z.Type, "zone type of site 1")
		})
	}
}
