package spec

import (
	"slices"
	"strings"

	"github.com/zonesync/zonesync/internal/yamlx"
	"github.com/zonesync/zonesync/model"
	"gopkg.in/yaml.v3"
)

// soaSpec is the soa section of a zone spec.
type soaSpec struct {
	PrimaryNS string `yaml:"primary_ns"`
	AdminMail string `yaml:"admin_mail"`
	Refresh   *int64 `yaml:"refresh"`
	Retry     *int64 `yaml:"retry"`
	Expire    *int64 `yaml:"expire"`
	Minimum   *int64 `yaml:"minimum"`
}

func (l *loader) soa(n *yaml.Node) *model.SOA {
	var s soaSpec
	before := len(l.List)
	yamlx.Decode(&l.FileErrors, n, &s, "soa")
	if len(l.List) > before {
		return nil
	}
	out := &model.SOA{}
	if s.PrimaryNS != "" {
		ns, err := model.ASCIIName(s.PrimaryNS)
		ns = strings.ToLower(ns)
		if !strings.HasSuffix(ns, ".") {
			ns += "."
		}
		switch {
		case err != nil:
			l.Add(yamlx.MapValue(n, "primary_ns"), "soa.primary_ns: %v", err)
		case !model.ValidDomain(strings.TrimSuffix(ns, ".")) || strings.Contains(ns, "*"):
			l.Add(yamlx.MapValue(n, "primary_ns"), "soa.primary_ns %q is not a valid host name", s.PrimaryNS)
		}
		out.PrimaryNS = ns
	}
	if s.AdminMail != "" {
		mail, err := model.ParseAdminMail(s.AdminMail)
		if err != nil {
			l.Add(yamlx.MapValue(n, "admin_mail"), "soa.admin_mail: %v", err)
		}
		out.AdminMail = mail
	}
	for _, f := range []struct {
		key string
		v   *int64
		dst *uint32
	}{
		{"refresh", s.Refresh, &out.Refresh}, {"retry", s.Retry, &out.Retry},
		{"expire", s.Expire, &out.Expire}, {"minimum", s.Minimum, &out.Minimum},
	} {
		if f.v == nil {
			continue
		}
		vn := yamlx.MapValue(n, f.key)
		r := model.Range{Min: 1, Max: model.MaxTTL}
		if l.cap != nil {
			if pr, ok := l.cap.SOARanges[f.key]; ok {
				r = pr
			}
		}
		if *f.v < int64(r.Min) || *f.v > int64(r.Max) {
			l.Add(vn, "soa.%s %d is outside %s%s", f.key, *f.v, r, l.providerNote(f.key))
			continue
		}
		*f.dst = uint32(*f.v)
	}
	if l.cap != nil {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if slices.Contains(model.SOAFields, k.Value) && !l.cap.HasSOAField(k.Value) {
				l.Add(k, "provider %s cannot set soa.%s%s", l.z.Provider, k.Value, soaHint(l.cap.SOA))
			}
		}
	}
	return out
}

func soaHint(fields []string) string {
	if len(fields) == 0 {
		return " (it manages no SOA fields; remove the soa section)"
	}
	return " (it can set " + strings.Join(fields, ", ") + ")"
}

func (l *loader) providerNote(field string) string {
	if l.cap != nil {
		if _, ok := l.cap.SOARanges[field]; ok {
			return " (provider " + l.z.Provider + ")"
		}
	}
	return ""
}
