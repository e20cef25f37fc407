package rfc2136

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/zonesync/zonesync/config"
	"github.com/zonesync/zonesync/internal/yamlx"
)

// DefaultTimeout bounds each step of a conversation with a server
// (connecting, waiting for one answer) when the config sets no timeout.
const DefaultTimeout = 10 * time.Second

// SecretKeys are the settings that hold credentials: scrubbed from all
// output, and at least config.MinSecretLength characters long.
var SecretKeys = []string{"tsig.secret"}

// Settings are the provider's keys in zonesync.yaml.
type Settings struct {
	// Server is the primary server's host:port; the port defaults to 53.
	Server string `yaml:"server"`
	// TransferServer, when set, is where zones are read by AXFR; updates
	// still go to Server.
	TransferServer string `yaml:"transfer_server"`
	// TSIG is the key that signs every request.
	TSIG TSIGSettings `yaml:"tsig"`
	// Timeout is a Go duration ("5s"); default 10s.
	Timeout string `yaml:"timeout"`
}

// TSIGSettings are the key's name, algorithm and base64 secret.
type TSIGSettings struct {
	Name      string `yaml:"name"`
	Algorithm string `yaml:"algorithm"`
	Secret    string `yaml:"secret"`
}

// problem is one invalid setting, by its top-level key in zonesync.yaml.
type problem struct{ key, msg string }

// resolved is Settings once checked: addresses with their port, the key
// ready to sign, the timeout as a duration.
type resolved struct {
	server, transfer string
	key              *tsigKey
	timeout          time.Duration
}

// check validates every setting and reports every problem at once.
func (s Settings) check() (resolved, []problem) {
	var c resolved
	var probs []problem
	var err error
	if strings.TrimSpace(s.Server) == "" {
		probs = append(probs, problem{"", "server is required: the primary's host:port, e.g. server: 192.0.2.53:53"})
	} else if c.server, err = hostPort(s.Server); err != nil {
		probs = append(probs, problem{"server", "server " + err.Error()})
	}
	c.transfer = c.server
	if s.TransferServer != "" {
		if c.transfer, err = hostPort(s.TransferServer); err != nil {
			probs = append(probs, problem{"transfer_server", "transfer_server " + err.Error()})
		}
	}
	if c.key, err = newTSIGKey(s.TSIG.Name, s.TSIG.Algorithm, s.TSIG.Secret); err != nil {
		key := "tsig"
		if s.TSIG == (TSIGSettings{}) {
			key = ""
		}
		probs = append(probs, problem{key, err.Error()})
	}
	c.timeout = DefaultTimeout
	if s.Timeout != "" {
		d, err := time.ParseDuration(s.Timeout)
		switch {
		case err != nil:
			probs = append(probs, problem{"timeout", fmt.Sprintf("timeout %q is not a duration such as 5s or 1m", s.Timeout)})
		case d <= 0 || d > time.Hour:
			probs = append(probs, problem{"timeout", fmt.Sprintf("timeout %s is outside 1ms..1h", d)})
		default:
			c.timeout = d
		}
	}
	return c, probs
}

// hostPort checks a server address and adds the default port 53.
func hostPort(s string) (string, error) {
	s = strings.TrimSpace(s)
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		// A bare host or IPv6 address: the port is 53.
		host, port = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]"), "53"
		if strings.Contains(host, ":") && net.ParseIP(host) == nil {
			return "", fmt.Errorf("%q is not host:port", s)
		}
	}
	if host == "" || strings.ContainsAny(host, " /@") {
		return "", fmt.Errorf("%q has no valid host", s)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("%q has port %q, not 1..65535", s, port)
	}
	return net.JoinHostPort(host, port), nil
}

// fromConfig builds the provider from its entry in zonesync.yaml, with
// every problem at its position there.
func fromConfig(cfg *config.ProviderConfig) (*Provider, error) {
	if err := cfg.Secrets(SecretKeys...); err != nil {
		return nil, err
	}
	var s Settings
	if err := cfg.Decode(&s); err != nil {
		return nil, err
	}
	c, probs := s.check()
	if len(probs) > 0 {
		var list yamlx.ErrorList
		for _, p := range probs {
			var l yamlx.ErrorList
			if errors.As(cfg.Errorf(p.key, "%s", p.msg), &l) {
				list = append(list, l...)
			}
		}
		return nil, list.Err()
	}
	return newProvider(c), nil
}

// New builds a provider from settings, as zonesync.yaml would give them.
// It does not touch the network.
func New(s Settings) (*Provider, error) {
	c, probs := s.check()
	if len(probs) > 0 {
		msgs := make([]string, len(probs))
		for i, p := range probs {
			msgs[i] = p.msg
		}
		return nil, errors.New("rfc2136: " + strings.Join(msgs, "; "))
	}
	return newProvider(c), nil
}
