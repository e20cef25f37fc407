package spec

import (
	"path/filepath"
	"slices"

	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
)

// MarshalUsingTemplates is Marshal for `import --use-templates`: the
// spec includes each template of the config's templates directory whose
// record sets the zone already holds exactly (same name, type, TTL and
// values), and leaves those sets out. A template that needs parameters
// other than ${zone}, that the zone's provider refuses, or that would
// ignore records the zone holds is not used; nor is one defining a set
// an earlier used template (in name order) defines. The spec written is
// loaded again before it is returned, and must give the zone's record
// sets exactly; otherwise the spec spelled out is returned. included
// names the templates used.
func MarshalUsingTemplates(z *model.Zone, zoneTTL bool, cfg *config.Config, caps CapabilitiesFunc) (data []byte, included []string, err error) {
	ttl := specTTL(z, zoneTTL)
	full, err := marshal(z, zoneTTL, ttl, nil)
	if err != nil || z.Mode == model.Slave {
		return full, nil, err
	}
	env := loadEnv{cfg: cfg, caps: caps, templates: templatesOf(cfg)}
	file := filepath.Join(cfg.ZonesDir, SpecFileName(z.Name))
	want := env.parseSpec(file, full)
	if want.err() != nil {
		return full, nil, nil
	}
	wantZone := want.first()
	sets := make(map[[2]string]*model.RecordSet, len(wantZone.Records))
	for _, rs := range wantZone.Records {
		sets[[2]string{rs.Name, rs.Type}] = rs
	}
	names, err := env.templates.names()
	if err != nil {
		return nil, nil, err
	}
	header := *z
	header.Records, header.Ignore = nil, nil
	claimed := map[[2]string]bool{}
	for _, name := range names {
		probe, err := marshal(&header, zoneTTL, ttl, []string{name})
		if err != nil {
			return nil, nil, err
		}
		r := env.parseSpec(file, probe)
		if r.err() != nil || len(r.first().Records) == 0 {
			continue
		}
		tz := r.first()
		if !templateMatches(tz, sets, claimed) {
			continue
		}
		included = append(included, name)
		for _, rs := range tz.Records {
			claimed[[2]string{rs.Name, rs.Type}] = true
		}
	}
	if len(included) == 0 {
		return full, nil, nil
	}
	rest := *z
	rest.Records = slices.DeleteFunc(slices.Clone(z.Records), func(rs *model.RecordSet) bool {
		return claimed[[2]string{rs.Name, rs.Type}]
	})
	out, err := marshal(&rest, zoneTTL, ttl, included)
	if err != nil {
		return nil, nil, err
	}
	got := env.parseSpec(file, out)
	if got.err() != nil || !sameRecords(got.first().Records, wantZone.Records) {
		return full, nil, nil
	}
	return out, included, nil
}

// templateMatches reports whether every record set of tz, a zone built
// from one template alone, is among sets exactly and claimed by no
// template already, and whether its ignore rules leave every other set
// of sets alone.
func templateMatches(tz *model.Zone, sets map[[2]string]*model.RecordSet, claimed map[[2]string]bool) bool {
	own := make(map[[2]string]bool, len(tz.Records))
	for _, rs := range tz.Records {
		key := [2]string{rs.Name, rs.Type}
		have := sets[key]
		if claimed[key] || have == nil || rs.Failover != nil || !sameSet(rs, have) {
			return false
		}
		own[key] = true
	}
	for key := range sets {
		if !own[key] && tz.Ignored(key[0], key[1]) {
			return false
		}
	}
	return true
}

// sameRecords reports whether two sorted lists of record sets hold the
// same sets.
func sameRecords(a, b []*model.RecordSet) bool {
	return slices.EqualFunc(a, b, func(x, y *model.RecordSet) bool {
		return x.Name == y.Name && x.Type == y.Type && sameSet(x, y)
	})
}

// sameSet reports whether two record sets of one name and type have the
// same TTL, values and health check.
func sameSet(a, b *model.RecordSet) bool {
	if a.TTL != b.TTL || !slices.Equal(a.Values, b.Values) || (a.Failover == nil) != (b.Failover == nil) {
		return false
	}
	if a.Failover == nil {
		return true
	}
	fa, fb := *a.Failover, *b.Failover
	return slices.Equal(fa.BackupIPs, fb.BackupIPs) && fa.Check == fb.Check && fa.Settings == fb.Settings &&
		fa.Down == fb.Down && fa.Up == fb.Up && fa.Active == fb.Active
}
