package spec

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/internal/yamlx"
	"github.com/zonesync/zonesync/model"
)

var update = flag.Bool("update", false, "rewrite golden files and expected messages")

// corpusConfig declares the providers the invalid corpus refers to.
func corpusConfig() (*config.Config, CapabilitiesFunc) {
	cfg := &config.Config{Providers: map[string]*config.ProviderConfig{}}
	caps := map[string]model.Capabilities{
		"local": {CreateZone: true, SOA: model.SOAFields, ApexNS: true, TXTStrings: true, EmptyTXT: true, RootTarget: true, DNSSEC: true},
		// strict refuses empty TXT records (as ClouDNS does) and null MX (as Plesk does).
		"strict": {
			RecordTypes: []string{"A", "AAAA", "CNAME", "MX", "NS", "SRV", "TXT"},
			ZoneTTL:     true, MinTTL: 60,
			SOA: []string{"refresh", "retry", "expire", "minimum"},
		},
		"listed": {
			AllowedTTLs: []uint32{60, 300, 600, 900, 1800, 3600, 21600, 43200, 86400},
			SOA:         model.SOAFields,
			SOARanges: map[string]model.Range{
				"refresh": {Min: 1200, Max: 43200}, "retry": {Min: 180, Max: 2419200},
				"expire": {Min: 1209600, Max: 2419200}, "minimum": {Min: 60, Max: 2419200},
			},
			ApexNS: true, EmptyTXT: true, RootTarget: true,
		},
		"failover":  {Failover: true, MaxBackupIPs: 5, ApexNS: true, EmptyTXT: true, RootTarget: true},
		"floor":     {MinTTL: 7200, ApexNS: true, EmptyTXT: true, RootTarget: true},
		"secondary": {Slave: true, ApexNS: true, EmptyTXT: true, RootTarget: true},
		// A provider that carries a record set in one DNS message, as rfc2136 does.
		"onemessage": {MaxRecordSetSize: 4096, ApexNS: true, EmptyTXT: true, RootTarget: true},
	}
	for name := range caps {
		cfg.Providers[name] = &config.ProviderConfig{Name: name, Type: "test"}
	}
	return cfg, func(name string) (model.Capabilities, bool) {
		c, ok := caps[name]
		return c, ok
	}
}

const wantPrefix = "# want: "

// TestInvalidCorpus loads every broken spec in testdata/invalid and
// compares the problems reported with the "# want:" lines at the file's
// end, exactly. Run with -update to rewrite them after a deliberate change.
func TestInvalidCorpus(t *testing.T) {
	files, err := filepath.Glob("testdata/invalid/*.yaml")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 40, "the invalid corpus has too few specs")
	cfg, caps := corpusConfig()
	// The corpus's templates are broken on purpose; only its specs see them.
	cfg.TemplatesDir = "testdata/templates"
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".yaml"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			body, want := splitWants(string(data))
			_, err = ParseZone(file, data, cfg, caps)
			var list yamlx.ErrorList
			require.ErrorAs(t, err, &list, "ParseZone accepted a broken spec")
			got := make([]string, len(list))
			for i, e := range list {
				got[i] = e.Error()
			}
			if *update {
				var b strings.Builder
				b.WriteString(body)
				for _, g := range got {
					b.WriteString(wantPrefix + g + "\n")
				}
				require.NoError(t, os.WriteFile(file, []byte(b.String()), 0o644))
				return
			}
			require.NotEmpty(t, want, "no %q lines in %s; run go test ./spec -run TestInvalidCorpus -update", wantPrefix, file)
			assert.Equal(t, want, got, "problems reported")
		})
	}
}

// splitWants separates a corpus file's spec from its trailing want lines.
func splitWants(data string) (body string, wants []string) {
	lines := strings.SplitAfter(data, "\n")
	i := len(lines)
	for i > 0 && (strings.HasPrefix(lines[i-1], wantPrefix) || lines[i-1] == "") {
		i--
	}
	for _, l := range lines[i:] {
		if l != "" {
			wants = append(wants, strings.TrimSuffix(strings.TrimPrefix(l, wantPrefix), "\n"))
		}
	}
	return strings.Join(lines[:i], ""), wants
}
