package providertest

import (
	"fmt"

	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/model"
	"github.com/zonesync/zonesync/spec"
)

// Probe is one record that some providers' APIs take and others refuse.
type Probe struct {
	Name, Type, Value string
}

// ValueProbes are the records whose fate a provider's Capabilities
// declare (model.Capabilities EmptyTXT and RootTarget): a provider's test
// applies each to its fake and checks that validation agrees with the API.
var ValueProbes = []Probe{
	{Name: "empty", Type: "TXT", Value: ""},
	{Name: "@", Type: "MX", Value: "0 ."},
	{Name: "_sip._tcp", Type: "SRV", Value: "0 0 0 ."},
}

// Validates loads a spec of zone holding the probe's record, as the
// provider with caps, and returns the validation error, if any.
func Validates(caps model.Capabilities, zone string, p Probe) error {
	cfg := &config.Config{Providers: map[string]*config.ProviderConfig{"probe": {Name: "probe", Type: "probe"}}}
	data := fmt.Sprintf("zone: %s\nprovider: probe\nrecords:\n  %q:\n    - {type: %s, value: %q}\n", zone, p.Name, p.Type, p.Value)
	_, err := spec.ParseZone(zone+".yaml", []byte(data), cfg, func(string) (model.Capabilities, bool) { return caps, true })
	return err
}
