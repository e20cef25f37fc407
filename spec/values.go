package spec

import (
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/zonesync/zonesync/internal/yamlx"
	"github.com/zonesync/zonesync/model"
	"gopkg.in/yaml.v3"
)

// valueJob is one value waiting to be parsed into canonical form.
type valueJob struct {
	rs   *model.RecordSet
	idx  int
	node *yaml.Node
	// strs are the strings of a TXT or SPF value written as a list; nil
	// for a value written as one scalar.
	strs []string
}

// canonical is the job's value in canonical form.
func (j valueJob) canonical() (string, error) {
	if j.strs != nil {
		return model.TXTStringsValue(j.strs)
	}
	return canonicalSafely(j.rs.Type, j.node.Value)
}

// parseValues turns every value into canonical form, on every core.
func (l *loader) parseValues(jobs []valueJob) {
	problems := make([]error, len(jobs))
	workers := min(runtime.GOMAXPROCS(0), 1+len(jobs)/256)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(jobs); i += workers {
				j := jobs[i]
				v, err := l.parseValue(j)
				if err != nil {
					problems[i] = err
					continue
				}
				j.rs.Values[j.idx] = v
			}
		}()
	}
	wg.Wait()
	bad := map[*model.RecordSet]bool{}
	for i, err := range problems {
		if err == nil {
			if why := l.valueProblem(jobs[i].rs, jobs[i].rs.Values[jobs[i].idx]); why != "" {
				err = fmt.Errorf("%s", why)
			}
		}
		if err != nil {
			l.Add(jobs[i].node, "%s %s: %v", model.DisplayName(jobs[i].rs.Name), jobs[i].rs.Type, err)
			bad[jobs[i].rs] = true
		}
	}
	seen := map[*model.RecordSet]bool{}
	for _, j := range jobs {
		if !seen[j.rs] && !bad[j.rs] {
			seen[j.rs] = true
			j.rs.SetValues(j.rs.Values)
		}
	}
}

// parseValue is a job's value in canonical form, checked to fit in one
// record; taken from the loader's cache where it has one.
func (l *loader) parseValue(j valueJob) (string, error) {
	parse := func() (string, error) {
		v, err := j.canonical()
		if err != nil {
			return "", err
		}
		if why := rdataProblem(j.rs.Type, v); why != "" {
			return "", errors.New(why)
		}
		return v, nil
	}
	if l.cache == nil || j.strs != nil {
		return parse()
	}
	return l.cache.get(j.rs.Type, j.node.Value, parse)
}

// txtStrings reads a TXT or SPF value written as a list of strings: one
// record whose strings keep their boundaries. ok is false when the list
// was refused (and the problem added).
func (l *loader) txtStrings(z *model.Zone, key string, n *yaml.Node) ([]string, bool) {
	if len(n.Content) == 0 {
		l.Add(n, "%s: a TXT value written as a list needs at least one string", key)
		return nil, false
	}
	strs := make([]string, len(n.Content))
	ok := true
	for i, item := range n.Content {
		switch {
		case item.Kind != yaml.ScalarNode || item.Tag == "!!null":
			l.Add(item, "%s: string %d of a TXT value must be a string, not %s", key, i+1, yamlx.Describe(item))
			ok = false
		case len(item.Value) > model.TXTChunk:
			l.Add(item, "%s: string %d of a TXT value is %d bytes; one string holds at most %d (split it into more strings, or write the text as one plain value)", key, i+1, len(item.Value), model.TXTChunk)
			ok = false
		}
		strs[i] = item.Value
	}
	if ok && l.cap != nil && !l.cap.TXTStrings && !model.PlainTXT(strs) {
		l.Add(n, "%s: provider %s keeps a TXT record as one text and cannot hold the boundaries between its strings; write the text as one plain value", key, z.Provider)
		ok = false
	}
	return strs, ok
}

// canonicalSafely is CanonicalValue, with a panic in the parser (on input
// no one foresaw) turned into the value's error.
func canonicalSafely(rrtype, value string) (v string, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = "", fmt.Errorf("the value could not be parsed (internal error: %v)", r)
		}
	}()
	return model.CanonicalValue(rrtype, value)
}
