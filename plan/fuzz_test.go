package plan

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzDecode: no plan file makes Decode panic; one it accepts is written
// back as a file it accepts again.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"format_version":1,"zones":[],"summary":{"create":0,"update":0,"delete":0,"zones_changed":0}}`))
	f.Add([]byte(`{"format_version":1,"zones":[{"zone":"a.test","provider":"p","live_digest":"none","spec_digest":"sha256:00","operations":[{"seq":1,"action":"create_zone","after":{"mode":"master"}}]}],"summary":{}}`))
	f.Add([]byte(`{"format_version":1,"zones":[{"zone":"a.test","provider":"p","live_digest":"sha256:1","spec_digest":"sha256:2","operations":[{"seq":1,"action":"update","name":"www","type":"A","before":{"ttl":300,"values":["192.0.2.1"]},"after":{"ttl":60,"values":["192.0.2.2"]}}]}],"summary":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Decode(bytes.NewReader(data))
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("a refusal spans lines: %q", err)
			}
			return
		}
		var out bytes.Buffer
		if err := WriteJSON(&out, p); err != nil {
			t.Fatal(err)
		}
		if _, err := Decode(&out); err != nil {
			t.Fatalf("a plan written back is refused: %v", err)
		}
	})
}
