package plan

import (
	"bytes"
	"slices"
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
		for _, z := range p.Zones {
			for _, op := range z.Operations {
				checkChange(t, op)
			}
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

// checkChange: a decoded operation's change accounts for every value of
// its states, each once, and its lists are views of each other.
func checkChange(t *testing.T, op *Operation) {
	c := op.change
	if op.Action != Create && op.Action != Update && op.Action != Delete {
		if c != nil {
			t.Fatalf("%s has a change", op.Action)
		}
		return
	}
	if c == nil {
		t.Fatalf("%s has no change", op.Action)
	}
	set := func(s *State) []string {
		if s == nil {
			return nil
		}
		return sortedSet(s.Values)
	}
	merged := func(a, b []string) []string { return sortedSet(append(slices.Clone(a), b...)) }
	if op.Action != Delete && !slices.Equal(merged(c.Kept, c.Added), set(op.After)) {
		t.Fatalf("kept %q + added %q is not after %q", c.Kept, c.Added, set(op.After))
	}
	if op.Action != Create && !slices.Equal(merged(c.Kept, c.Removed), set(op.Before)) {
		t.Fatalf("kept %q + removed %q is not before %q", c.Kept, c.Removed, set(op.Before))
	}
	if len(c.Pairs)+len(c.Creates) != len(c.Added) || len(c.Pairs)+len(c.Deletes) != len(c.Removed) {
		t.Fatalf("pairs %d, creates %d, deletes %d do not add up to added %d and removed %d", len(c.Pairs), len(c.Creates), len(c.Deletes), len(c.Added), len(c.Removed))
	}
}
