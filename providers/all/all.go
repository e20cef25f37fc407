// Package all registers every provider zonesync ships; import it for its side effect.
package all

import (
	_ "github.com/zonesync/zonesync/providers/cloudns"
	_ "github.com/zonesync/zonesync/providers/plesk"
	_ "github.com/zonesync/zonesync/providers/powerdns"
	_ "github.com/zonesync/zonesync/providers/rfc2136"
	_ "github.com/zonesync/zonesync/providers/telecomx"
	_ "github.com/zonesync/zonesync/providers/zonefile"
)
