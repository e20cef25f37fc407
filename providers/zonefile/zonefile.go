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
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/plan"
	"github.com/zonesync/zonesync/providers"
)

// Type is the provider type in zonesync.yaml.
const Type = "zonefile"

// Suffix ends every zone file's name.
const Suffix = ".zone"

func init() {
	providers.Register(Type, func(cfg *config.ProviderConfig) (providers.Provider, error) {
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

// The Provider contract and the optional abilities this provider has.
var (
	_ providers.Provider         = (*Provider)(nil)
	_ providers.Checker          = (*Provider)(nil)
	_ providers.OperationChecker = (*Provider)(nil)
	_ providers.ZoneLocker       = (*Provider)(nil)
)

// Provider reads and writes zone files in one directory.
type Provider struct {
	dir string
	// now is the clock serials are derived from; tests replace it.
	now func() time.Time
	// locks serialises changes to each file within this process.
	locks sync.Map
	// autoNS holds, for a zone this provider created, the apex NS it gave
	// the new file (the SOA's primary, see file.addApexNS). A plan applies
	// create_zone on its own, then the spec's SOA and records: until the
	// spec's own apex NS arrive, that NS follows the SOA's primary. Once
	// the zone is read again, a plan sees that NS as a live record, and it
	// is one like any other: ReadZone forgets it.
	autoNS sync.Map
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
func (p *Provider) Capabilities() model.Capabilities {
	return model.Capabilities{
		CreateZone: true,
		SOA:        model.SOAFields,
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
		name, ok := strings.CutSuffix(e.Name(), Suffix)
		if !ok || strings.HasPrefix(name, ".") {
			continue
		}
		if e.Type()&fs.ModeSymlink != 0 {
			// A zone file linked from where the server loads it.
			if info, err := os.Stat(filepath.Join(p.dir, e.Name())); err != nil || !info.Mode().IsRegular() {
				continue
			}
		} else if !e.Type().IsRegular() {
			continue
		}
		zones = append(zones, name)
	}
	sort.Strings(zones)
	return zones, nil
}

// ReadZone parses the zone's file into the model.
func (p *Provider) ReadZone(ctx context.Context, zone string, _ providers.ReadOptions) (*model.Zone, error) {
	p.autoNS.Delete(zone)
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
// changes in memory and writes the file once. Of live it takes only the
// zone's name: the file is the state, and live is read-only.
func (p *Provider) Apply(ctx context.Context, live *model.Zone, ops []*plan.Operation) []error {
	errs := make([]error, len(ops))
	mu, _ := p.locks.LoadOrStore(live.Name, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()

	removeStaleTemps(p.Path(live.Name), p.now())
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
	// The NS this provider added at creation gives way to the spec's.
	auto := false
	if ns, ok := p.autoNS.Load(live.Name); ok && f.sets[apexNSKey] != nil && slices.Equal(f.sets[apexNSKey].Values, []string{ns.(string)}) {
		delete(f.sets, apexNSKey)
		auto = true
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
	added := ""
	if (f.fresh || auto) && f.sets[apexNSKey] == nil {
		added = f.addApexNS()
	}
	f.soa.Serial = NextSerial(f.soa.Serial, p.now())
	if err := p.write(f.path, f.render()); err != nil {
		err = fmt.Errorf("zonefile: write %s: %w", f.path, err)
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
		return errs
	}
	switch {
	case added != "":
		p.autoNS.Store(live.Name, added)
	case auto:
		p.autoNS.Delete(live.Name)
	}
	return errs
}

// CheckOperation refuses what a zone file cannot hold: a zone file is a
// master zone's records and SOA, with no mode, masters, zone TTL or
// failover. Plan calls it while the plan is reviewed, Apply before it
// changes anything.
func (p *Provider) CheckOperation(live *model.Zone, op *plan.Operation) error {
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
// either the old file or the new one, never a mix. A symbolic link is
// written through: its target is replaced, in the target's directory, and
// the link stays. The file keeps its permissions and owner; a new one is
// made 0644.
func writeAtomic(path string, data []byte) error {
	target, err := resolveLinks(path)
	if err != nil {
		return err
	}
	mode, owner := fs.FileMode(0o644), (*fileOwner)(nil)
	if info, err := os.Stat(target); err == nil {
		mode, owner = info.Mode().Perm(), ownerOf(info)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	dir := filepath.Dir(target)
	tmp, err := os.CreateTemp(dir, tempPrefix(target)+"*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := keepOwner(tmp, owner); err != nil {
		tmp.Close()
		return fmt.Errorf("keep the owner of %s: %w; run zonesync as the file's owner or as root", target, err)
	}
	// After the owner: changing the owner may clear setuid bits.
	if err := tmp.Chmod(mode); err != nil {
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
	if err := os.Rename(tmp.Name(), target); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// maxLinks is how many symbolic links a zone file's path may go through.
const maxLinks = 40

// resolveLinks returns the file path names after following symbolic links
// in its last element, also a link whose target does not exist yet (then
// the zone is created there).
func resolveLinks(path string) (string, error) {
	for range maxLinks {
		info, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil
		}
		if err != nil {
			return "", err
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		link, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(path), link)
		}
		path = link
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links", path)
}

// tempPrefix starts the name of every temporary file writeAtomic makes
// for target; os.CreateTemp ends it with decimal digits.
func tempPrefix(target string) string {
	return "." + filepath.Base(target) + ".tmp-"
}

// staleTemp is how old a temporary file must be before it is taken as
// left behind by a zonesync that was killed. A write takes far less; a
// younger one may belong to another zonesync writing the file right now.
const staleTemp = time.Hour

// removeStaleTemps deletes the temporary files a killed zonesync left
// beside the zone file at path (or, for a link, beside its target): only
// files named as writeAtomic names them, and only stale ones. It is best
// effort; what it cannot remove stays for the next run.
func removeStaleTemps(path string, now time.Time) {
	places := []string{path}
	if target, err := resolveLinks(path); err == nil && target != path {
		places = append(places, target)
	}
	for _, place := range places {
		prefix := tempPrefix(place)
		entries, err := os.ReadDir(filepath.Dir(place))
		if err != nil {
			continue
		}
		for _, e := range entries {
			digits, ok := strings.CutPrefix(e.Name(), prefix)
			if !ok || digits == "" || strings.Trim(digits, "0123456789") != "" || !e.Type().IsRegular() {
				continue
			}
			if info, err := e.Info(); err == nil && now.Sub(info.ModTime()) > staleTemp {
				os.Remove(filepath.Join(filepath.Dir(place), e.Name()))
			}
		}
	}
}

// dnsNewSOA builds the SOA record of a file.
func dnsNewSOA(origin string, ttl uint32, s *model.SOA) *dns.SOA {
	return &dns.SOA{
		Hdr:     dns.RR_Header{Name: origin, Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: ttl},
		Ns:      s.PrimaryNS,
		Mbox:    model.MailToMbox(s.AdminMail),
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
