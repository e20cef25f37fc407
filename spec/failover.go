package spec

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/zonesync/zonesync/internal/yamlx"
	"github.com/zonesync/zonesync/model"
	"gopkg.in/yaml.v3"
)

// failoverSpec is the failover section of a record set.
type failoverSpec struct {
	Check     string               `yaml:"check"`
	Settings  failoverSettingsSpec `yaml:"settings"`
	Down      string               `yaml:"down"`
	Up        string               `yaml:"up"`
	BackupIPs []string             `yaml:"backup_ips"`
	Active    *bool                `yaml:"active"`
}

// failoverSettingsSpec is model.FailoverSettings as a spec writes it
// (model.FailoverSettings.Fields lists the same keys). The model knows no
// YAML; converting one into the other stops compiling if they part.
type failoverSettingsSpec struct {
	Host          string `yaml:"host"`
	Port          int    `yaml:"port"`
	Path          string `yaml:"path"`
	Content       string `yaml:"content"`
	QueryType     string `yaml:"query_type"`
	QueryResponse string `yaml:"query_response"`
	Region        string `yaml:"region"`
}

func (l *loader) failover(z *model.Zone, rs *model.RecordSet, key string, n *yaml.Node) *model.Failover {
	if rs.Type != "A" && rs.Type != "AAAA" {
		l.Add(n, "%s: failover is only possible on A and AAAA records, not %s", key, rs.Type)
		return nil
	}
	if l.cap != nil && !l.cap.Failover {
		l.Add(n, "%s: provider %s does not support failover", key, z.Provider)
		return nil
	}
	var s failoverSpec
	before := len(l.List)
	yamlx.Decode(&l.FileErrors, n, &s, key+".failover")
	if len(l.List) > before {
		return nil
	}
	f := &model.Failover{Check: s.Check, Settings: model.FailoverSettings(s.Settings), Down: s.Down, Up: s.Up, Active: true}
	if s.Active != nil {
		f.Active = *s.Active
	}
	checks := model.FailoverChecks
	if l.cap != nil && l.cap.FailoverChecks != nil {
		checks = l.cap.FailoverChecks
	}
	for _, c := range []struct {
		key, v  string
		allowed []string
	}{
		{"check", s.Check, checks}, {"down", s.Down, model.FailoverDownActs}, {"up", s.Up, model.FailoverUpActs},
	} {
		if !slices.Contains(c.allowed, c.v) {
			l.Add(yamlx.ValueOr(n, c.key), "%s.failover.%s must be one of %s, not %q", key, c.key, strings.Join(c.allowed, ", "), c.v)
		}
	}
	if p := s.Settings.Port; p < 0 || p > 65535 {
		l.Add(yamlx.ValueOr(yamlx.MapValue(n, "settings"), "port"), "%s.failover.settings.port %d is outside 0..65535", key, p)
	}
	bn := yamlx.MapValue(n, "backup_ips")
	for i, ip := range s.BackupIPs {
		a, err := netip.ParseAddr(ip)
		if err != nil || (rs.Type == "A") != a.Is4() {
			l.Add(bn.Content[i], "%s.failover.backup_ips: %q is not an %s address", key, ip, map[string]string{"A": "IPv4", "AAAA": "IPv6"}[rs.Type])
			continue
		}
		f.BackupIPs = append(f.BackupIPs, a.String())
	}
	if l.cap != nil && l.cap.MaxBackupIPs > 0 && len(s.BackupIPs) > l.cap.MaxBackupIPs {
		l.Add(bn, "%s.failover.backup_ips has %d addresses; provider %s takes at most %d", key, len(s.BackupIPs), z.Provider, l.cap.MaxBackupIPs)
	}
	if s.Down == "backup-ips" && len(s.BackupIPs) == 0 {
		l.Add(yamlx.ValueOr(n, "down"), "%s.failover.down is backup-ips but backup_ips is empty", key)
	}
	if (s.Check == "http" || s.Check == "https") && s.Settings.Host == "" {
		l.Add(yamlx.ValueOr(n, "settings"), "%s.failover: an %s check needs settings.host", key, s.Check)
	}
	if s.Check == "dns" && (s.Settings.Host == "" || s.Settings.QueryType == "") {
		l.Add(yamlx.ValueOr(n, "settings"), "%s.failover: a dns check needs settings.host and settings.query_type", key)
	}
	if (s.Check == "tcp" || s.Check == "udp") && s.Settings.Port == 0 {
		l.Add(yamlx.ValueOr(n, "settings"), "%s.failover: a %s check needs settings.port", key, s.Check)
	}
	return f
}
