package yamlx

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Decode decodes node into the value v points to (a struct, slice, map,
// pointer or scalar), field by field, so that an unknown key, a missing
// mapping or a value of the wrong kind is reported in e at its own position
// and decoding goes on to find the next problem. key names node in
// messages ("soa", "providers.dns"); "" is the whole document. Field names
// come from yaml tags; a field tagged `yaml:"-"` is never set. Numbers are
// read in plain decimal only (see NotDecimal).
func Decode(e *FileErrors, node *yaml.Node, v any, key string) {
	decodeValue(e, node, reflect.ValueOf(v).Elem(), key)
}

var nodeType = reflect.TypeOf(yaml.Node{})

func decodeValue(e *FileErrors, node *yaml.Node, rv reflect.Value, key string) {
	node = Resolve(node)
	if rv.Type() == nodeType {
		rv.Set(reflect.ValueOf(*node))
		return
	}
	switch rv.Kind() {
	case reflect.Struct:
		if node.Kind != yaml.MappingNode {
			e.Add(node, "%s must be a mapping, not %s", describeKey(key), Describe(node))
			return
		}
		fields := structFields(rv.Type())
		seen := map[string]bool{}
		for i := 0; i+1 < len(node.Content); i += 2 {
			k, val := node.Content[i], node.Content[i+1]
			idx, ok := fields[k.Value]
			if !ok {
				e.Add(k, "unknown key %q%s%s", k.Value, inKey(key), Suggest(k.Value, fieldNames(fields)))
				continue
			}
			if seen[k.Value] {
				e.Add(k, "key %q is set twice%s", k.Value, inKey(key))
				continue
			}
			seen[k.Value] = true
			decodeValue(e, val, rv.FieldByIndex(idx), joinKey(key, k.Value))
		}
	case reflect.Slice:
		if node.Kind != yaml.SequenceNode {
			e.Add(node, "%s must be a list, not %s", describeKey(key), Describe(node))
			return
		}
		out := reflect.MakeSlice(rv.Type(), len(node.Content), len(node.Content))
		for i, item := range node.Content {
			decodeValue(e, item, out.Index(i), fmt.Sprintf("%s[%d]", key, i))
		}
		rv.Set(out)
	case reflect.Map:
		if node.Kind != yaml.MappingNode {
			e.Add(node, "%s must be a mapping, not %s", describeKey(key), Describe(node))
			return
		}
		out := reflect.MakeMapWithSize(rv.Type(), len(node.Content)/2)
		for i := 0; i+1 < len(node.Content); i += 2 {
			k := reflect.New(rv.Type().Key()).Elem()
			decodeValue(e, node.Content[i], k, key)
			val := reflect.New(rv.Type().Elem()).Elem()
			decodeValue(e, node.Content[i+1], val, joinKey(key, node.Content[i].Value))
			out.SetMapIndex(k, val)
		}
		rv.Set(out)
	case reflect.Pointer:
		if node.Tag == "!!null" {
			return
		}
		p := reflect.New(rv.Type().Elem())
		before := len(e.List)
		decodeValue(e, node, p.Elem(), key)
		// A value refused stays unset, so that it is not checked again.
		if len(e.List) == before {
			rv.Set(p)
		}
	default:
		decodeScalar(e, node, rv, key)
	}
}

func decodeScalar(e *FileErrors, node *yaml.Node, rv reflect.Value, key string) {
	if node.Kind != yaml.ScalarNode {
		e.Add(node, "%s must be a %s, not %s", describeKey(key), kindName(rv.Kind()), Describe(node))
		return
	}
	switch rv.Kind() {
	case reflect.String:
		rv.SetString(node.Value)
	case reflect.Bool:
		b, err := strconv.ParseBool(node.Value)
		if err != nil || node.Tag != "!!bool" {
			e.Add(node, "%s must be true or false, not %q", describeKey(key), node.Value)
			return
		}
		rv.SetBool(b)
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint32, reflect.Uint16, reflect.Uint, reflect.Uint64:
		if why := NotDecimal(key, node.Value, false); why != "" && node.Style == 0 {
			e.Add(node, "%s", why)
			return
		}
		n, err := strconv.ParseInt(node.Value, 10, 64)
		if err != nil || node.Tag == "!!str" && node.Style != 0 {
			e.Add(node, "%s must be a whole number, not %q", describeKey(key), node.Value)
			return
		}
		lo, hi := intRange(rv.Kind())
		if n < lo || n > hi {
			e.Add(node, "%s %d is outside %d..%d", describeKey(key), n, lo, hi)
			return
		}
		if rv.CanInt() {
			rv.SetInt(n)
		} else {
			rv.SetUint(uint64(n))
		}
	case reflect.Float64:
		if why := NotDecimal(key, node.Value, true); why != "" {
			e.Add(node, "%s", why)
			return
		}
		f, err := strconv.ParseFloat(node.Value, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			e.Add(node, "%s must be a number, not %q", describeKey(key), node.Value)
			return
		}
		rv.SetFloat(f)
	default:
		e.Add(node, "%s has a type zonesync cannot read (%s)", describeKey(key), rv.Type())
	}
}

// NotDecimal says why a number's text is not plain decimal, and what to
// write instead. YAML reads 0300 as octal 192, 0x10 as 16 and 0b101 as 5,
// and tools disagree on such forms, so zonesync reads decimal only: an
// optional sign, digits without a leading zero and, for a float, a
// fraction and an exponent. It returns "" for plain decimal and for text
// that is no number in any form, which the caller refuses in its own words.
func NotDecimal(key, s string, float bool) string {
	body := strings.TrimLeft(s, "+-")
	sign := s[:len(s)-len(body)]
	if len(sign) > 1 {
		return ""
	}
	if float && strings.HasPrefix(body, ".") && len(body) > 1 && body[1] >= '0' && body[1] <= '9' && decimalFraction(body) {
		return ""
	}
	if len(body) > 0 && body[0] >= '0' && body[0] <= '9' {
		rest := strings.TrimLeft(body, "0123456789")
		whole := body[:len(body)-len(rest)]
		if rest == "" || float && decimalFraction(rest) {
			if len(whole) == 1 || whole[0] != '0' {
				return ""
			}
			trimmed := strings.TrimLeft(whole, "0")
			if trimmed == "" {
				trimmed = "0"
			}
			return fmt.Sprintf("%s %q is not a decimal number (a leading zero reads as octal in YAML); write %s",
				describeKey(key), s, sign+trimmed+rest)
		}
	}
	// The other forms YAML takes as numbers: 0x, 0o and 0b prefixes, digit
	// separators, hexadecimal floats.
	clean := strings.ReplaceAll(s, "_", "")
	if n, err := strconv.ParseInt(clean, 0, 64); err == nil {
		return fmt.Sprintf("%s %q is not a decimal number; write %d", describeKey(key), s, n)
	}
	lower := strings.ToLower(clean)
	if f, err := strconv.ParseFloat(clean, 64); err == nil && float && !math.IsInf(f, 0) && !math.IsNaN(f) && !strings.Contains(lower, "inf") && !strings.Contains(lower, "nan") {
		return fmt.Sprintf("%s %q is not a decimal number; write %s", describeKey(key), s, strconv.FormatFloat(f, 'g', -1, 64))
	}
	return ""
}

// decimalFraction reports whether s, what follows a float's whole digits,
// is a fraction and exponent in decimal: ".5", ".", "e3", ".25E-2".
func decimalFraction(s string) bool {
	if rest, ok := strings.CutPrefix(s, "."); ok {
		s = strings.TrimLeft(rest, "0123456789")
	}
	if s == "" {
		return true
	}
	if s[0] != 'e' && s[0] != 'E' {
		return false
	}
	exp := strings.TrimLeft(s[1:], "+-")
	return len(s)-len(exp) <= 2 && exp != "" && strings.Trim(exp, "0123456789") == ""
}

func intRange(k reflect.Kind) (int64, int64) {
	switch k {
	case reflect.Uint32:
		return 0, math.MaxUint32
	case reflect.Uint16:
		return 0, math.MaxUint16
	case reflect.Int32:
		return math.MinInt32, math.MaxInt32
	case reflect.Uint, reflect.Uint64:
		return 0, math.MaxInt64
	}
	return math.MinInt64, math.MaxInt64
}

func kindName(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Float64:
		return "number"
	}
	return "whole number"
}

// structFields maps yaml key names to field index paths of t. The keys
// of a struct field tagged `yaml:",inline"` are t's own, as yaml.v3 reads
// them (a provider's settings embed the shared HTTP ones so).
func structFields(t reflect.Type) map[string][]int {
	out := map[string][]int{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if opts == "inline" && f.Type.Kind() == reflect.Struct {
			for k, idx := range structFields(f.Type) {
				out[k] = append([]int{i}, idx...)
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = []int{i}
	}
	return out
}

func fieldNames(fields map[string][]int) []string {
	names := make([]string, 0, len(fields))
	for n := range fields {
		names = append(names, n)
	}
	return names
}

func joinKey(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

func inKey(key string) string {
	if key == "" {
		return ""
	}
	return " in " + key
}

func describeKey(key string) string {
	if key == "" {
		return "the document"
	}
	return key
}
