package plan

import (
	"bytes"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"
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
			require.NotContains(t, err.Error(), "\n", "a refusal spans lines")
			return
		}
		for _, z := range p.Zones {
			for _, op := range z.Operations {
				checkChange(t, op)
			}
		}
		var out bytes.Buffer
		require.NoError(t, WriteJSON(&out, p))
		_, err = Decode(&out)
		require.NoError(t, err, "a plan written back is refused")
	})
}

// checkChange: a decoded operation's change accounts for every value of
// its states, each once, and its lists are views of each other.
func checkChange(t *testing.T, op *Operation) {
	t.Helper()
	c := op.change
	if op.Action != Create && op.Action != Update && op.Action != Delete {
		require.Nil(t, c, "%s has a change", op.Action)
		return
	}
	require.NotNil(t, c, "%s has no change", op.Action)
	set := func(s *State) []string {
		if s == nil {
			return nil
		}
		return sortedSet(s.Values)
	}
	merged := func(a, b []string) []string { return sortedSet(append(slices.Clone(a), b...)) }
	// EquateEmpty: no values at all is one set, nil or not.
	if op.Action != Delete {
		if d := cmp.Diff(set(op.After), merged(c.Kept, c.Added), cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("kept %q + added %q is not after (-after +kept+added):\n%s", c.Kept, c.Added, d)
		}
	}
	if op.Action != Create {
		if d := cmp.Diff(set(op.Before), merged(c.Kept, c.Removed), cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("kept %q + removed %q is not before (-before +kept+removed):\n%s", c.Kept, c.Removed, d)
		}
	}
	require.Equal(t, len(c.Added), len(c.Pairs)+len(c.Creates), "pairs %d + creates %d against added", len(c.Pairs), len(c.Creates))
	require.Equal(t, len(c.Removed), len(c.Pairs)+len(c.Deletes), "pairs %d + deletes %d against removed", len(c.Pairs), len(c.Deletes))
}
