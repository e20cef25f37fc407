package model

import "strconv"

// Failover is a health check on an A or AAAA record set and what the
// provider does when it fails or recovers. Names are provider-neutral.
type Failover struct {
	// Check is the kind of check: ping, http, https, tcp, udp, dns or smtp.
	Check string `json:"check"`
	// Settings are the check's parameters.
	Settings FailoverSettings `json:"settings"`
	// Down is the event handler when the check fails: notify, deactivate or backup-ips.
	Down string `json:"down"`
	// Up is the event handler when the check recovers: notify, main-ips or stop-monitoring.
	Up string `json:"up"`
	// BackupIPs are served while the main IPs are down (down: backup-ips).
	BackupIPs []string `json:"backup_ips,omitempty"`
	// Active is false when monitoring is paused.
	Active bool `json:"active"`
}

// FailoverSettings are the parameters of a failover check; which apply depends on the check.
type FailoverSettings struct {
	Host          string `json:"host,omitempty"`
	Port          int    `json:"port,omitempty"`
	Path          string `json:"path,omitempty"`
	Content       string `json:"content,omitempty"`
	QueryType     string `json:"query_type,omitempty"`
	QueryResponse string `json:"query_response,omitempty"`
	Region        string `json:"region,omitempty"`
}

// Fields lists the settings that are set, as key and value in the order
// specs write them.
func (s FailoverSettings) Fields() [][2]string {
	var out [][2]string
	for _, kv := range [][2]string{
		{"host", s.Host}, {"port", ""}, {"path", s.Path}, {"content", s.Content},
		{"query_type", s.QueryType}, {"query_response", s.QueryResponse}, {"region", s.Region},
	} {
		if kv[0] == "port" && s.Port != 0 {
			kv[1] = strconv.Itoa(s.Port)
		}
		if kv[1] != "" {
			out = append(out, kv)
		}
	}
	return out
}

// Failover check kinds and event handlers, provider-neutral.
var (
	FailoverChecks   = []string{"ping", "http", "https", "tcp", "udp", "dns", "smtp"}
	FailoverDownActs = []string{"notify", "deactivate", "backup-ips"}
	FailoverUpActs   = []string{"notify", "main-ips", "stop-monitoring"}
)
