package rfc2136

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"sort"
	"strings"

	"github.com/miekg/dns"
)

// DefaultAlgorithm is the TSIG algorithm used when the config names none.
const DefaultAlgorithm = "hmac-sha256"

// algorithms are the TSIG algorithms zonesync.yaml accepts, by the name a
// BIND key statement uses, with their wire names.
var algorithms = map[string]struct {
	wire string
	hash func() hash.Hash
}{
	"hmac-sha256": {dns.HmacSHA256, sha256.New},
	"hmac-sha512": {dns.HmacSHA512, sha512.New},
	"hmac-sha1":   {dns.HmacSHA1, sha1.New},
}

// algorithmNames lists the accepted algorithms for error messages.
func algorithmNames() string {
	names := make([]string, 0, len(algorithms))
	for n := range algorithms {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// tsigKey signs requests and checks answers with one TSIG key. It
// implements dns.TsigProvider. The secret lives only inside the mac
// closure, so that no formatting of the key or of a struct holding it can
// print the secret.
type tsigKey struct {
	// name is the key name, canonical (lower case, trailing dot).
	name string
	// algorithm is the wire name, e.g. "hmac-sha256.".
	algorithm string
	mac       func() hash.Hash
}

// newTSIGKey checks the key's settings. Its errors never quote the secret.
func newTSIGKey(name, algorithm, secret string) (*tsigKey, error) {
	if strings.TrimSpace(name) == "" {
		return nil, errors.New("tsig.name is required: the name of the key on the server")
	}
	if _, ok := dns.IsDomainName(name); !ok {
		return nil, fmt.Errorf("tsig.name %q is not a valid key name", name)
	}
	alg := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(algorithm)), ".")
	if alg == "" {
		alg = DefaultAlgorithm
	}
	a, ok := algorithms[alg]
	if !ok {
		return nil, fmt.Errorf("tsig.algorithm %q is not supported (use one of %s)", algorithm, algorithmNames())
	}
	raw, err := decodeSecret(secret)
	if err != nil {
		return nil, err
	}
	return &tsigKey{
		name:      dns.CanonicalName(name),
		algorithm: a.wire,
		mac:       func() hash.Hash { return hmac.New(a.hash, raw) },
	}, nil
}

// decodeSecret reads a base64 secret as BIND's key files and tsig-keygen write it.
func decodeSecret(secret string) ([]byte, error) {
	s := strings.Join(strings.Fields(secret), "")
	if s == "" {
		return nil, errors.New("tsig.secret is required: the key's base64 secret, e.g. secret: ${TSIG_SECRET}")
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		raw, err = base64.RawStdEncoding.DecodeString(s)
	}
	if err != nil {
		return nil, errors.New("tsig.secret is not valid base64 (the secret itself is not shown)")
	}
	if len(raw) == 0 {
		return nil, errors.New("tsig.secret decodes to nothing")
	}
	return raw, nil
}

// String names the key without its secret.
func (k *tsigKey) String() string {
	return fmt.Sprintf("TSIG key %s (%s)", strings.TrimSuffix(k.name, "."), strings.TrimSuffix(k.algorithm, "."))
}

// GoString keeps %#v from reaching into the key.
func (k *tsigKey) GoString() string { return k.String() }

// displayName is the key name as the server's config spells it.
func (k *tsigKey) displayName() string { return strings.TrimSuffix(k.name, ".") }

// Generate computes the MAC of a message being signed with this key.
func (k *tsigKey) Generate(msg []byte, t *dns.TSIG) ([]byte, error) {
	if err := k.matches(t); err != nil {
		return nil, err
	}
	h := k.mac()
	h.Write(msg)
	return h.Sum(nil), nil
}

// Verify checks the MAC of a message signed with this key.
func (k *tsigKey) Verify(msg []byte, t *dns.TSIG) error {
	if err := k.matches(t); err != nil {
		return err
	}
	got, err := hex.DecodeString(t.MAC)
	if err != nil {
		return dns.ErrSig
	}
	want, _ := k.Generate(msg, t)
	if !hmac.Equal(got, want) {
		return dns.ErrSig
	}
	return nil
}

// matches checks that a TSIG record names this key and its algorithm, so
// that an answer signed with another key is not taken for ours.
func (k *tsigKey) matches(t *dns.TSIG) error {
	if dns.CanonicalName(t.Hdr.Name) != k.name {
		return fmt.Errorf("signed with key %s, not %s", t.Hdr.Name, k.name)
	}
	if dns.CanonicalName(t.Algorithm) != k.algorithm {
		return fmt.Errorf("signed with algorithm %s, not %s", t.Algorithm, k.algorithm)
	}
	return nil
}
