package fake

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// checkTypes are the check_type ids the fake accepts: the union of the two
// published numberings (old 1-10, new 17 ping, 18 web, 8 tcp, 9 udp, 10
// dns, 15 smtp), as the API notes recommend.
var checkTypes = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 17, 18}

// settingKeys are the check parameters kept in check_settings.
var settingKeys = []string{"host", "port", "path", "content", "query_type", "query_response", "protocol", "latency_limit", "timeout", "http_request_type"}

// topKeys are the other optional parameters, answered beside check_settings.
var topKeys = []string{"check_period", "notification_mail", "checkregion", "deactivate_record"}

// wire is the failover-settings answer. Handlers and check_type are JSON
// numbers, state a string, as in the wiki's example; check_settings is []
// when the check has no settings.
func (f *Failover) wire() map[string]any {
	m := map[string]any{
		"check_type": f.CheckType, "status": -1, "down_event_handler": f.DownEventHandler,
		"up_event_handler": f.UpEventHandler, "main_ip": f.MainIP, "state": strconv.Itoa(f.State),
	}
	for i, ip := range f.BackupIPs {
		m["backup_ip_"+strconv.Itoa(i+1)] = ip
	}
	if len(f.Settings) == 0 {
		m["check_settings"] = []any{}
	} else {
		cs := map[string]any{}
		for k, v := range f.Settings {
			if n, err := strconv.Atoi(v); k == "port" && err == nil {
				cs[k] = n
			} else {
				cs[k] = v
			}
		}
		m["check_settings"] = cs
	}
	if f.MonitoringRegion != "" {
		m["monitoring_region"] = f.MonitoringRegion
	}
	for k, v := range f.Other {
		m[k] = v
	}
	return m
}

// monitoredRecord finds the record of a failover call.
func (s *Server) monitoredRecord(p params) (*zone, *record, error) {
	z, err := s.masterZone(p)
	if err != nil {
		return nil, nil, err
	}
	rec, err := recordOf(z, p)
	if err != nil {
		return nil, nil, err
	}
	return z, rec, nil
}

func (s *Server) failoverSettings(p params) (any, error) {
	_, rec, err := s.monitoredRecord(p)
	if err != nil {
		return nil, err
	}
	if rec.failover == nil {
		return nil, fail(errFailoverOff)
	}
	return rec.failover.wire(), nil
}

func (s *Server) failoverActivate(p params) (any, error) {
	z, rec, err := s.monitoredRecord(p)
	if err != nil {
		return nil, err
	}
	if rec.typ != "A" && rec.typ != "AAAA" {
		return nil, fail(errFailoverType)
	}
	if rec.failover != nil {
		return nil, fail(errFailoverOn)
	}
	f, err := readFailover(p)
	if err != nil {
		return nil, err
	}
	rec.failover = f
	z.changed()
	return success(okActivate), nil
}

// failoverModify replaces the settings as a whole, as the official bulk
// scripts expect (they re-send every field).
func (s *Server) failoverModify(p params) (any, error) {
	z, rec, err := s.monitoredRecord(p)
	if err != nil {
		return nil, err
	}
	if rec.failover == nil {
		return nil, fail(errFailoverOff)
	}
	f, err := readFailover(p)
	if err != nil {
		return nil, err
	}
	rec.failover = f
	z.changed()
	return success(okModify), nil
}

func (s *Server) failoverDeactivate(p params) (any, error) {
	z, rec, err := s.monitoredRecord(p)
	if err != nil {
		return nil, err
	}
	if rec.failover == nil {
		return nil, fail(errFailoverOff)
	}
	rec.failover = nil
	z.changed()
	return success(okDeactivate), nil
}

// readFailover checks failover-activate/-modify parameters.
func readFailover(p params) (*Failover, error) {
	f := &Failover{State: 1, Settings: map[string]string{}, Other: map[string]string{}}
	var ok bool
	if f.CheckType, ok = p.integer("check_type"); !ok || !slices.Contains(checkTypes, f.CheckType) {
		return nil, fail(errCheckType)
	}
	if f.DownEventHandler, ok = p.integer("down_event_handler"); !ok || f.DownEventHandler < 0 || f.DownEventHandler > 2 {
		return nil, fail(errEventHandler)
	}
	if f.UpEventHandler, ok = p.integer("up_event_handler"); !ok || f.UpEventHandler < 0 || f.UpEventHandler > 2 {
		return nil, fail(errEventHandler)
	}
	ip, err := netip.ParseAddr(strings.TrimSpace(p.get("main_ip")))
	if err != nil {
		return nil, fail(errFailoverIP)
	}
	f.MainIP = ip.String()
	for i := range f.BackupIPs {
		v := strings.TrimSpace(p.get("backup_ip_" + strconv.Itoa(i+1)))
		if v == "" {
			continue
		}
		ip, err := netip.ParseAddr(v)
		if err != nil {
			return nil, fail(errFailoverIP)
		}
		f.BackupIPs[i] = ip.String()
	}
	if p.has("state") {
		if f.State, ok = p.integer("state"); !ok || (f.State != 0 && f.State != 1) {
			return nil, fail(errState)
		}
	}
	for _, k := range settingKeys {
		if v := p.get(k); v != "" {
			f.Settings[k] = v
		}
	}
	if v, ok := f.Settings["port"]; ok {
		if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 65535 {
			return nil, fail(errPort)
		}
	}
	f.MonitoringRegion = p.get("monitoring_region")
	for _, k := range topKeys {
		if v := p.get(k); v != "" {
			f.Other[k] = v
		}
	}
	return f, nil
}
