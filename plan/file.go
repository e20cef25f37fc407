package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Decode reads a saved plan and checks its form: the format version, known
// actions, and operations numbered 1..n in each zone. A file that is not a
// zonesync plan, is truncated, or has been edited out of shape is refused
// with the reason.
func Decode(r io.Reader) (*Plan, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read plan: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p Plan
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("not a valid zonesync plan file: %s", jsonProblem(data, err))
	}
	if dec.More() {
		return nil, errors.New("not a valid zonesync plan file: data after the plan")
	}
	if p.FormatVersion != FormatVersion {
		return nil, fmt.Errorf("plan file has format_version %d; this zonesync reads version %d", p.FormatVersion, FormatVersion)
	}
	if len(p.Errors) > 0 {
		return nil, fmt.Errorf("the plan file records %d %s (%s): it does not cover every zone; fix them and make a new plan", len(p.Errors), plural(len(p.Errors), "error"), p.Errors[0])
	}
	seen := map[string]bool{}
	for i, z := range p.Zones {
		if z == nil || z.Zone == "" || z.Provider == "" {
			return nil, fmt.Errorf("plan file: zone %d has no zone or provider", i+1)
		}
		if z.Target != "" && z.Target != z.Zone+"@"+z.Provider {
			return nil, fmt.Errorf("plan file: zone %d has target %s, not %s@%s", i+1, z.Target, z.Zone, z.Provider)
		}
		if seen[z.Key()] {
			return nil, fmt.Errorf("plan file: zone %s appears twice", z.Key())
		}
		seen[z.Key()] = true
		if !strings.HasPrefix(z.LiveDigest, "sha256:") && z.LiveDigest != "none" || !strings.HasPrefix(z.SpecDigest, "sha256:") {
			return nil, fmt.Errorf("plan file: zone %s lacks the live and spec digests that prove the plan is current", z.Key())
		}
		for j, op := range z.Operations {
			if op == nil || op.Seq != j+1 {
				return nil, fmt.Errorf("plan file: zone %s: operation %d is numbered out of order", z.Key(), j+1)
			}
			if !slices.Contains(Actions, op.Action) {
				return nil, fmt.Errorf("plan file: zone %s: operation %d has unknown action %q", z.Key(), op.Seq, op.Action)
			}
		}
		setChanges(z.Operations)
	}
	if err := p.checkScope(); err != nil {
		return nil, err
	}
	p.Summarize()
	return &p, nil
}

// jsonProblem says where in the file a JSON error is.
func jsonProblem(data []byte, err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var off int64 = -1
	switch {
	case errors.As(err, &syn):
		off = syn.Offset
	case errors.As(err, &typ):
		off = typ.Offset
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return "the file is empty or truncated"
	}
	if off < 0 || off > int64(len(data)) {
		return err.Error()
	}
	line := 1 + bytes.Count(data[:off], []byte{'\n'})
	return fmt.Sprintf("line %d: %v", line, err)
}
