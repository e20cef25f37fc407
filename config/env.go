package config

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/zonesync/zonesync/internal/yamlx"
	"gopkg.in/yaml.v3"
)

// hideEnv rewrites a message about the setting n (a scalar or a whole
// mapping) so that no value it took from the environment shows: each is
// replaced where the message quotes it by its text as written.
func (c *Config) hideEnv(msg string, n *yaml.Node) string {
	if c == nil || len(c.fromEnv) == 0 {
		return msg
	}
	walkScalars(n, func(v *yaml.Node) {
		if tmpl, ok := c.fromEnv[v]; ok && v.Value != "" {
			msg = replaceValue(msg, v.Value, shownAs(tmpl))
		}
	})
	return msg
}

// hideEnvValues applies hideEnv to every problem positioned at a scalar
// under root that took its value from the environment.
func (c *Config) hideEnvValues(list yamlx.ErrorList, root *yaml.Node) {
	if c == nil || len(c.fromEnv) == 0 || len(list) == 0 {
		return
	}
	at := map[[2]int]*yaml.Node{}
	walkScalars(root, func(v *yaml.Node) {
		if _, ok := c.fromEnv[v]; ok {
			at[[2]int{v.Line, v.Column}] = v
		}
	})
	for _, e := range list {
		if v, ok := at[[2]int{e.Pos.Line, e.Pos.Col}]; ok {
			e.Msg = c.hideEnv(e.Msg, v)
		}
	}
}

// walkScalars calls f for every scalar at or under n.
func walkScalars(n *yaml.Node, f func(*yaml.Node)) {
	if n == nil {
		return
	}
	if n.Kind == yaml.ScalarNode {
		f(n)
		return
	}
	for _, c := range n.Content {
		walkScalars(c, f)
	}
}

// soleVariable is a value written as exactly one ${VAR}.
var soleVariable = regexp.MustCompile(`^\$\{[A-Za-z_][A-Za-z0-9_]*\}$`)

// shownAs is how a message names a value from the environment: ${VAR}, or
// the quoted text as written when the variable is part of a longer value.
func shownAs(tmpl string) string {
	if soleVariable.MatchString(tmpl) {
		return tmpl
	}
	return strconv.Quote(tmpl)
}

// replaceValue replaces value in msg by shown: where it is quoted, and
// where it stands as a whole word (a number, a name); never inside a
// longer word, so that a short value cannot garble the rest of the message.
func replaceValue(msg, value, shown string) string {
	msg = strings.ReplaceAll(msg, strconv.Quote(value), shown)
	var b strings.Builder
	for {
		i := strings.Index(msg, value)
		if i < 0 {
			b.WriteString(msg)
			return b.String()
		}
		end := i + len(value)
		if (i == 0 || !isWordByte(msg[i-1])) && (end == len(msg) || !isWordByte(msg[end])) {
			b.WriteString(msg[:i])
			b.WriteString(shown)
		} else {
			b.WriteString(msg[:end])
		}
		msg = msg[end:]
	}
}

func isWordByte(c byte) bool {
	return c == '_' || c == '.' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

var envPattern = regexp.MustCompile(`\$\{([^}]*)\}|\$\$`)

// expandEnv substitutes ${VAR} in every scalar value under n; $$ is a
// literal $. Each scalar that took a variable's value is remembered with
// its text as written, so that messages can name the variable instead of
// showing the value. Which values are secrets is for each provider to
// declare (ProviderConfig.Secrets).
func expandEnv(e *yamlx.FileErrors, n *yaml.Node, lookup func(string) (string, bool), cfg *Config) {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			expandEnv(e, n.Content[i+1], lookup, cfg)
		}
		return
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if !strings.Contains(n.Value, "$") {
			return
		}
		written, substituted := n.Value, false
		n.Value = envPattern.ReplaceAllStringFunc(n.Value, func(m string) string {
			if m == "$$" {
				return "$"
			}
			name := m[2 : len(m)-1]
			if !envNamePattern.MatchString(name) {
				e.Add(n, "%q is not a valid environment variable name", name)
				return m
			}
			v, ok := lookup(name)
			if !ok {
				e.Add(n, "environment variable %s is not set", name)
				return m
			}
			substituted = true
			return v
		})
		if substituted {
			cfg.fromEnv[n] = written
		}
		if n.Tag == "!!str" || n.Style != 0 {
			return
		}
		// An unquoted ${PORT} takes the kind of its value (number, bool).
		n.Tag = (&yaml.Node{Kind: yaml.ScalarNode, Value: n.Value}).ShortTag()
	default:
		for _, c := range n.Content {
			expandEnv(e, c, lookup, cfg)
		}
	}
}

var envNamePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
