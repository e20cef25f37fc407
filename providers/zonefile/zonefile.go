// Package zonefile is the embedded default provider: RFC 1035 zone files in
// a local directory, one per zone, named <zone>.zone.
//
// Every change rewrites the whole file atomically (temporary file, fsync,
// rename, fsync of the directory) and bumps the SOA serial in YYYYMMDDnn
// style, so a crash never leaves a torn file and secondaries see each change.
package zonefile

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
	"github.com/zonesync/zonesync/spec"
)

// Type is the provider type in zonesync.yaml.
const Type = "zonefile"

// Suffix ends every zone file's name.
const Suffix = ".zone"

func init() {
	providers.Register(Type, func(cfg *spec.ProviderConfig) (providers.Provider, error) {
		var s Settings
		if err := cfg.Decode(&s); err != nil {
			return nil, err
		}
		if s.Directory == "" {
			return nil, cfg.Errorf("", "directory is required: where the <zone>.zone files are")
		}
		dir := s.Directory
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(cfg.Dir, dir)
		}
		// A missing directory would plan every zone as new, and the
		// apply would then fail on a temporary file: say so now.
		switch st, err := os.Stat(dir); {
		case errors.Is(err, fs.ErrNotExist):
			return nil, cfg.Errorf("directory", "directory %s does not exist; create it (mkdir -p %s) or set directory to where the <zone>.zone files are", dir, dir)
		case err != nil:
			return nil, cfg.Errorf("directory", "directory %s: %v", dir, errors.Unwrap(err))
		case !st.IsDir():
			return nil, cfg.Errorf("directory", "%s is not a directory; set directory to where the <zone>.zone files are", dir)
		}
		return New(dir), nil
	})
}

// Settings are the zonefile provider's keys in zonesync.yaml.
type Settings struct {
	// Directory holds the zone files, relative to zonesync.yaml.
	Directory string `yaml:"directory"`
}

// Provider reads and writes zone files in one directory.
type Provider struct {
	dir string
	// now is the clock serials are derived from; tests replace it.
	now func() time.Time
	// locks serialises changes to each file within this process.
	locks sync.Map
	// write replaces a file; tests make it fail.
	write func(path string, data []byte) error
}

// New returns a provider for the zone files in dir.
func New(dir string) *Provider {
	return &Provider{dir: dir, now: time.Now, write: writeAtomic}
}

// SetClock replaces the clock serials are derived from, for tests.
func (p *Provider) SetClock(now func() time.Time) { p.now = now }

// Capabilities: a zone file can hold every record type with its own TTL,
// a TXT record's strings as the file writes them, empty TXT text and "."
// as a target included.
func (p *Provider) Capabilities() spec.Capabilities {
	return spec.Capabilities{
		CreateZone: true,
		SOA:        spec.SOAFields,
		ApexNS:     true,
		Batch:      true,
		TXTStrings: true,
		EmptyTXT:   true,
		RootTarget: true,
	}
}

// Path returns the file a zone is kept in.
func (p *Provider) Path(zone string) string {
	return filepath.Join(p.dir, strings.ToLower(zone)+Suffix)
}

// ListZones lists the zones that have a file in the directory.
func (p *Provider) ListZones(ctx context.Context) ([]string, error) {
	entries, err := os.ReadDir(p.dir)
	if err != nil {
		return nil, fmt.Errorf("zonefile: list zones in %s: %w", p.dir, err)
	}
	var zones []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), Suffix); ok && e.Type().IsRegular() && !strings.HasPrefix(name, ".") {
			zones = append(zones, name)
		}
	}
	sort.Strings(zones)
	return zones, nil
}

// ReadZone parses the zone's file into the model.
func (p *Provider) ReadZone(ctx context.Context, zone string) (*spec.Zone, error) {
	f, err := p.read(zone)
	if err != nil {
		return nil, err
	}
	return f.model(), nil
}

// read loads and parses a zone's file.
func (p *Provider) read(zone string) (*file, error) {
	path := p.Path(zone)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("zonefile: %s: %w", path, providers.ErrZoneNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("zonefile: read %s: %w", path, err)
	}
	f, err := parse(zone, path, data)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Apply carries out operations on the zone's file: it re-reads the file,
// checks that every record set still looks as the plan saw it, makes the
// changes in memory and writes the file once.
func (p *Provider) Apply(ctx context.Context, live *spec.Zone, ops []*plan.Operation) []error {
	errs := make([]error, len(ops))
	mu, _ := p.locks.LoadOrStore(live.Name, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()

	f, err := p.read(live.Name)
	if errors.Is(err, providers.ErrZoneNotFound) && len(ops) > 0 && ops[0].Action == plan.CreateZone {
		f, err = newFile(live.Name, p.Path(live.Name)), nil
	}
	if err != nil {
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	changed := false
	for i, op := range ops {
		if err := p.CheckOperation(live, op); err != nil {
			errs[i] = err
			continue
		}
		if err := f.apply(op); err != nil {
			errs[i] = err
			continue
		}
		changed = true
	}
	if !changed {
		return errs
	}
	f.soa.Serial = NextSerial(f.soa.Serial, p.now())
	if err := p.write(f.path, f.render()); err != nil {
		err = fmt.Errorf("zonefile: write %s: %w", f.path, err)
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
	}
	return errs
}

// CheckOperation refuses what a zone file cannot hold: a zone file is a
// master zone's records and SOA, with no mode, masters, zone TTL or
// failover. Plan calls it while the plan is reviewed, Apply before it
// changes anything.
func (p *Provider) CheckOperation(live *spec.Zone, op *plan.Operation) error {
	switch op.Action {
	case plan.CreateZone, plan.UpdateSOA, plan.Create, plan.Update, plan.Delete:
		return nil
	}
	return fmt.Errorf("zonefile: zone %s: %s is not supported by zone files", live.Name, op.Action)
}

// NextSerial returns the serial after old on day now: YYYYMMDD00 of that day
// when it is higher, otherwise old+1, so serials only ever grow.
func NextSerial(old uint32, now time.Time) uint32 {
	y, m, d := now.UTC().Date()
	base := uint32(y*1000000 + int(m)*10000 + d*100)
	if base > old {
		return base
	}
	return old + 1
}

// writeAtomic replaces path with data so that readers and crashes see
// either the old file or the new one, never a mix.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// dnsNewSOA builds the SOA record of a file.
func dnsNewSOA(origin string, ttl uint32, s *spec.SOA) *dns.SOA {
	return &dns.SOA{
		Hdr:     dns.RR_Header{Name: origin, Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: ttl},
		Ns:      s.PrimaryNS,
		Mbox:    spec.MailToMbox(s.AdminMail),
		Serial:  s.Serial,
		Refresh: s.Refresh,
		Retry:   s.Retry,
		Expire:  s.Expire,
		Minttl:  s.Minimum,
	}
}

// CheckAccess checks that the directory can be listed.
func (p *Provider) CheckAccess(ctx context.Context, zone string) error {
	st, err := os.Stat(p.dir)
	if err != nil {
		return fmt.Errorf("zonefile: directory %s: %w", p.dir, errors.Unwrap(err))
	}
	if !st.IsDir() {
		return fmt.Errorf("zonefile: %s is not a directory", p.dir)
	}
	if _, err := os.ReadDir(p.dir); err != nil {
		return fmt.Errorf("zonefile: list %s: %w", p.dir, errors.Unwrap(err))
	}
	return nil
}
