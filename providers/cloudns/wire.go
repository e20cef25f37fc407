package cloudns

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// num is a number the API sends either as a JSON number or as a string
// ("3600"); an empty string or null is 0.
type num int64

func (n *num) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		*n = 0
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			*n = 0
			return nil
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("%q is not a whole number", s)
	}
	*n = num(v)
	return nil
}

// text is a string the API sometimes sends as a number (ids, ports); null is "".
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		*t = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = text(s)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("%s is neither a string nor a number", b)
		}
		*t = text(n.String())
	}
	return nil
}

// envelope is the status answer of mutations and of every failure. Some
// ClouDNS code reads statusMessage instead of statusDescription.
type envelope struct {
	Status            text `json:"status"`
	StatusDescription text `json:"statusDescription"`
	StatusMessage     text `json:"statusMessage"`
}

// failure returns the description of a Failed answer, and whether body is one.
// A read answers with a bare value (object, array, number, true/false), so
// only an object carrying a status with a description, or status "Failed",
// is an error. ClouDNS once documented "int(0)" as a failed status (sic).
func failure(body []byte) (string, bool) {
	b := bytes.TrimSpace(body)
	if len(b) == 0 || b[0] != '{' {
		return "", false
	}
	var keys map[string]json.RawMessage
	if json.Unmarshal(b, &keys) != nil {
		return "", false
	}
	if _, ok := keys["status"]; !ok {
		return "", false
	}
	var e envelope
	if json.Unmarshal(b, &e) != nil {
		return "", false
	}
	desc := string(e.StatusDescription)
	if desc == "" {
		desc = string(e.StatusMessage)
	}
	_, hasDesc := keys["statusDescription"]
	_, hasMsg := keys["statusMessage"]
	switch {
	case e.Status == "Failed":
	case (hasDesc || hasMsg) && e.Status != "Success":
	default:
		return "", false
	}
	if desc == "" {
		desc = "failed without a description"
	}
	return desc, true
}

// zoneRow is one zone of list-zones.json, and the answer of get-zone-info.json.
type zoneRow struct {
	Name   text `json:"name"`
	Type   text `json:"type"`
	Zone   text `json:"zone"`
	Status text `json:"status"`
}

// wireRecord is one record of records.json. Which fields are set depends
// on the type; numbers arrive as strings.
type wireRecord struct {
	ID       text `json:"id"`
	Type     text `json:"type"`
	Host     text `json:"host"`
	Record   text `json:"record"`
	TTL      num  `json:"ttl"`
	Status   num  `json:"status"`
	Failover num  `json:"failover"`

	Priority num `json:"priority"`
	Weight   num `json:"weight"`
	Port     num `json:"port"`

	CAAFlag  num  `json:"caa_flag"`
	CAAType  text `json:"caa_type"`
	CAAValue text `json:"caa_value"`

	TLSAUsage        num `json:"tlsa_usage"`
	TLSASelector     num `json:"tlsa_selector"`
	TLSAMatchingType num `json:"tlsa_matching_type"`

	Algorithm num `json:"algorithm"`
	FPType    num `json:"fp_type"`

	Order   num  `json:"order"`
	Pref    num  `json:"pref"`
	Flag    text `json:"flag"`
	Params  text `json:"params"`
	Regexp  text `json:"regexp"`
	Replace text `json:"replace"`

	KeyTag      num  `json:"key_tag"`
	DSAlgorithm num  `json:"dsalgorithm"`
	DigestType  num  `json:"digest_type"`
	DSDigest    text `json:"dsdigest"`
}

// decodeRecords reads records.json: an object keyed by record id, or []
// when the zone (or the filter) has no records. Records come back sorted by id.
func decodeRecords(body []byte) ([]wireRecord, error) {
	b := bytes.TrimSpace(body)
	if len(b) > 0 && b[0] == '[' {
		var list []wireRecord
		if err := json.Unmarshal(b, &list); err != nil {
			return nil, err
		}
		return list, nil
	}
	var byID map[string]wireRecord
	if err := json.Unmarshal(b, &byID); err != nil {
		return nil, err
	}
	out := make([]wireRecord, 0, len(byID))
	for id, r := range byID {
		if r.ID == "" {
			r.ID = text(id)
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return lessID(string(out[i].ID), string(out[j].ID)) })
	return out, nil
}

// lessID orders numeric ids numerically, others lexically.
func lessID(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// soaDetails is the answer of soa-details.json; every number is a string.
type soaDetails struct {
	SerialNumber num  `json:"serialNumber"`
	PrimaryNS    text `json:"primaryNS"`
	AdminMail    text `json:"adminMail"`
	Refresh      num  `json:"refresh"`
	Retry        num  `json:"retry"`
	Expire       num  `json:"expire"`
	DefaultTTL   num  `json:"defaultTTL"`
}

// decodeMasters reads master-servers.json: an object of master id to IP,
// or [] when there are none.
func decodeMasters(body []byte) (map[string]string, error) {
	b := bytes.TrimSpace(body)
	if len(b) > 0 && b[0] == '[' {
		var list []text
		if err := json.Unmarshal(b, &list); err != nil {
			return nil, err
		}
		if len(list) > 0 {
			return nil, fmt.Errorf("a list of %d masters without ids", len(list))
		}
		return map[string]string{}, nil
	}
	var byID map[string]text
	if err := json.Unmarshal(b, &byID); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(byID))
	for id, ip := range byID {
		out[id] = string(ip)
	}
	return out, nil
}

// wireFailover is the answer of failover-settings.json.
type wireFailover struct {
	CheckType        num             `json:"check_type"`
	CheckSettings    json.RawMessage `json:"check_settings"`
	Status           num             `json:"status"`
	DownEventHandler num             `json:"down_event_handler"`
	UpEventHandler   num             `json:"up_event_handler"`
	MainIP           text            `json:"main_ip"`
	BackupIP1        text            `json:"backup_ip_1"`
	BackupIP2        text            `json:"backup_ip_2"`
	BackupIP3        text            `json:"backup_ip_3"`
	BackupIP4        text            `json:"backup_ip_4"`
	BackupIP5        text            `json:"backup_ip_5"`
	State            num             `json:"state"`
	MonitoringRegion text            `json:"monitoring_region"`

	// Settings zonesync does not model, sent back unchanged on modify.
	CheckPeriod      text `json:"check_period"`
	NotificationMail text `json:"notification_mail"`
	CheckRegion      text `json:"checkregion"`
	DeactivateRecord text `json:"deactivate_record"`
}

// checkSettings is check_settings when it is an object; it is [] when the
// check type has no settings. The port arrives as a number or a string.
type checkSettings struct {
	Host          text `json:"host"`
	Port          num  `json:"port"`
	Path          text `json:"path"`
	Content       text `json:"content"`
	QueryType     text `json:"query_type"`
	QueryResponse text `json:"query_response"`
	// Response is query_response as ClouDNS's bulk-update scripts name it.
	Response text `json:"response"`
	// Protocol tells http from https for the web check; see webScheme.
	Protocol text `json:"-"`

	// Settings zonesync does not model, sent back unchanged on modify.
	LatencyLimit    text `json:"latency_limit"`
	Timeout         text `json:"timeout"`
	HTTPRequestType text `json:"http_request_type"`
}

// settings decodes check_settings.
func (w *wireFailover) settings() (checkSettings, error) {
	var s checkSettings
	b := bytes.TrimSpace(w.CheckSettings)
	if len(b) == 0 || b[0] == '[' || string(b) == "null" {
		return s, nil
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return s, err
	}
	var all map[string]text
	if err := json.Unmarshal(b, &all); err != nil {
		return s, err
	}
	s.Protocol = all[protocolParam]
	return s, nil
}

// addAnswer is add-record's success answer; data.id is a JSON number.
type addAnswer struct {
	Status text `json:"status"`
	Data   struct {
		ID text `json:"id"`
	} `json:"data"`
}
