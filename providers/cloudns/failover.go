package cloudns

import (
	"fmt"
	"net/netip"
	"reflect"
	"strconv"

	"github.com/zonesync/zonesync/model"
)

// This file maps a record set's failover between the model's
// provider-neutral names and ClouDNS's failover-activate/-modify parameters
// and failover-settings answer.

// writeCheckTypes are the check_type ids zonesync sends.
//
// Guess: ClouDNS publishes two numberings. The newer one (wiki article 276,
// the modify page) is written here; the older one is still read, see
// readCheckTypes. Web (18) covers both http and https; webScheme tells
// them apart.
var writeCheckTypes = map[string]int{
	"ping":  17,
	"http":  18,
	"https": 18,
	"tcp":   8,
	"udp":   9,
	"dns":   10,
	"smtp":  15,
}

// webCheckType is the newer numbering's single web check.
const webCheckType = 18

// readCheckTypes maps both published numberings to neutral names: the
// older list (wiki article 274: 1-3 ping at 15/25/50% thresholds, 4 HTTP,
// 5 HTTPS, 6/7 HTTP(S) custom string, 8 TCP, 9 UDP, 10 DNS) and the newer
// one (17 ping, 18 web, 8 TCP, 9 UDP, 10 DNS, 15 SMTP). A custom-string
// check is the http(s) check with settings.content.
var readCheckTypes = map[int]string{
	1: "ping", 2: "ping", 3: "ping",
	4: "http", 5: "https", 6: "http", 7: "https",
	8: "tcp", 9: "udp", 10: "dns",
	15: "smtp", 17: "ping",
}

// webScheme decides between http and https for a web check (18).
//
// Guess: the API notes do not say how check type 18 is told which scheme
// to use. zonesync sends protocol=http|https (protocolParam) with the
// check's settings and reads it back from check_settings; a web check set
// up outside zonesync, without that field, is https when its port is 443
// and http otherwise.
func webScheme(s checkSettings) string {
	switch string(s.Protocol) {
	case "http", "https":
		return string(s.Protocol)
	}
	if s.Port == 443 {
		return "https"
	}
	return "http"
}

// protocolParam carries the web check's scheme; see webScheme.
const protocolParam = "protocol"

// Event handler ids of down_event_handler and up_event_handler.
var (
	downHandlers = map[string]int{"notify": 0, "deactivate": 1, "backup-ips": 2}
	upHandlers   = map[string]int{"notify": 0, "main-ips": 1, "stop-monitoring": 2}
)

// maxBackupIPs is how many backup_ip_N parameters the API has.
const maxBackupIPs = 5

// inconsistentCheck is the check a record set's failover reads as when its
// records disagree (some monitored and some not, different settings, or a
// main_ip that is not the record's value), so that the plan shows a change
// and applying it makes every record carry the same failover.
const inconsistentCheck = "inconsistent (the records of this set differ)"

// failoverParams returns the failover-activate/-modify parameters of f on
// the record holding mainIP. Modify replaces the settings as a whole, so
// every backup_ip_N is sent, empty when unused.
func failoverParams(zone, id, mainIP string, f *model.Failover) (map[string]any, error) {
	check, ok := writeCheckTypes[f.Check]
	if !ok {
		return nil, fmt.Errorf("failover check %q has no ClouDNS check type", f.Check)
	}
	down, ok := downHandlers[f.Down]
	if !ok {
		return nil, fmt.Errorf("failover down handler %q has no ClouDNS id", f.Down)
	}
	up, ok := upHandlers[f.Up]
	if !ok {
		return nil, fmt.Errorf("failover up handler %q has no ClouDNS id", f.Up)
	}
	if len(f.BackupIPs) > maxBackupIPs {
		return nil, fmt.Errorf("failover has %d backup IPs; ClouDNS takes at most %d (backup_ip_1..backup_ip_%d)", len(f.BackupIPs), maxBackupIPs, maxBackupIPs)
	}
	state := 0
	if f.Active {
		state = 1
	}
	p := map[string]any{
		"domain-name": zone, "record-id": id,
		"check_type": check, "down_event_handler": down, "up_event_handler": up,
		"main_ip": mainIP, "state": state,
	}
	for i := range maxBackupIPs {
		ip := ""
		if i < len(f.BackupIPs) {
			ip = f.BackupIPs[i]
		}
		p["backup_ip_"+strconv.Itoa(i+1)] = ip
	}
	s := f.Settings
	for k, v := range map[string]string{"host": s.Host, "path": s.Path, "content": s.Content,
		"query_type": s.QueryType, "query_response": s.QueryResponse, "monitoring_region": s.Region} {
		if v != "" {
			p[k] = v
		}
	}
	if s.Port != 0 {
		p["port"] = s.Port
	}
	if check == webCheckType {
		p[protocolParam] = f.Check
	}
	return p, nil
}

// unmodeled returns the failover settings the model has no place for
// (check period, notification mail, latency limit, timeout, request type,
// ...). failover-modify replaces the settings as a whole, so these are
// sent back with every modify instead of being reset to ClouDNS's defaults.
func unmodeled(w wireFailover) map[string]any {
	out := map[string]any{}
	s, _ := w.settings()
	for k, v := range map[string]text{
		"check_period": w.CheckPeriod, "notification_mail": w.NotificationMail, "checkregion": w.CheckRegion,
		"deactivate_record": w.DeactivateRecord, "latency_limit": s.LatencyLimit, "timeout": s.Timeout,
		"http_request_type": s.HTTPRequestType,
	} {
		if v != "" {
			out[k] = string(v)
		}
	}
	return out
}

// modelFailover reads failover-settings into the model, with the main IP
// it monitors.
func modelFailover(w wireFailover) (*model.Failover, string, error) {
	s, err := w.settings()
	if err != nil {
		return nil, "", fmt.Errorf("check_settings: %v", err)
	}
	f := &model.Failover{Active: w.State != 0}
	switch check, ok := readCheckTypes[int(w.CheckType)]; {
	case int(w.CheckType) == webCheckType:
		f.Check = webScheme(s)
	case ok:
		f.Check = check
	default:
		f.Check = fmt.Sprintf("unknown (ClouDNS check_type %d)", w.CheckType)
	}
	f.Down = nameOf(downHandlers, int(w.DownEventHandler), "down_event_handler")
	f.Up = nameOf(upHandlers, int(w.UpEventHandler), "up_event_handler")
	for _, ip := range []text{w.BackupIP1, w.BackupIP2, w.BackupIP3, w.BackupIP4, w.BackupIP5} {
		if ip == "" {
			continue
		}
		a, err := netip.ParseAddr(string(ip))
		if err != nil {
			return nil, "", fmt.Errorf("backup IP %q: %v", ip, err)
		}
		f.BackupIPs = append(f.BackupIPs, a.String())
	}
	resp := s.QueryResponse
	if resp == "" {
		resp = s.Response
	}
	f.Settings = model.FailoverSettings{Host: string(s.Host), Port: int(s.Port), Path: string(s.Path), Content: string(s.Content),
		QueryType: string(s.QueryType), QueryResponse: string(resp), Region: string(w.MonitoringRegion)}
	main := string(w.MainIP)
	if a, err := netip.ParseAddr(main); err == nil {
		main = a.String()
	}
	return f, main, nil
}

// nameOf finds the neutral name of a handler id; an id zonesync does not
// know reads as a name validation will refuse, never as a silent default.
func nameOf(names map[string]int, id int, field string) string {
	for n, v := range names {
		if v == id {
			return n
		}
	}
	return fmt.Sprintf("unknown (ClouDNS %s %d)", field, id)
}

// recordFailover is what one record of a set says about failover.
type recordFailover struct {
	value    string
	failover *model.Failover
	mainIP   string
}

// setFailover merges the failover of a set's records into the set's: the
// common one, nil when none has any, and inconsistentCheck when they
// differ or a check does not watch its own record's value.
func setFailover(records []recordFailover) *model.Failover {
	var first *model.Failover
	same := true
	for i, r := range records {
		if i == 0 {
			first = r.failover
		} else if !reflect.DeepEqual(first, r.failover) {
			same = false
		}
		if r.failover != nil && r.mainIP != r.value {
			same = false
		}
	}
	if same {
		return first
	}
	for _, r := range records {
		if r.failover != nil {
			f := *r.failover
			f.Check = inconsistentCheck
			return &f
		}
	}
	return nil
}
