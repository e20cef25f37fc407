package yamlx

import (
	"bytes"
	"fmt"
	"io"

	"gopkg.in/yaml.v3"
)

// Parse parses a zone spec or config into its node tree, refusing a
// file that holds more than one YAML document: a second document would
// otherwise be dropped without a word.
func Parse(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		return nil, err
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == io.EOF:
		return &doc, nil
	case err != nil:
		return nil, err
	case len(next.Content) > 0:
		return nil, fmt.Errorf("line %d: a second YAML document starts here; zonesync reads one document per file", max(next.Line, 1))
	}
	return &doc, nil
}
