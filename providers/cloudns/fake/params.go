package fake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// params are a request's parameters. ClouDNS takes them from the query
// string, a form body or a JSON object body alike; everything is a string
// and arrays repeat the key with [] (ns[]=a&ns[]=b).
type params map[string][]string

func (p params) get(k string) string {
	if v := p[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (p params) has(k string) bool { _, ok := p[k]; return ok }

// integer reads a whole-number parameter; ok is false when it is missing or not a number.
func (p params) integer(k string) (int, bool) {
	v := strings.TrimSpace(p.get(k))
	n, err := strconv.Atoi(v)
	return n, err == nil
}

// readParams merges the query string and the body; the body wins.
func readParams(r *http.Request) (params, error) {
	p := params{}
	add := func(k string, vs ...string) {
		p[strings.TrimSuffix(k, "[]")] = append(p[strings.TrimSuffix(k, "[]")], vs...)
	}
	for k, vs := range r.URL.Query() {
		add(k, vs...)
	}
	if r.Method != http.MethodPost || r.Body == nil {
		return p, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return p, err
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case ct == "application/json" || (ct == "" && bytes.HasPrefix(bytes.TrimSpace(body), []byte("{"))):
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			return p, err
		}
		for k, v := range obj {
			delete(p, strings.TrimSuffix(k, "[]"))
			if list, ok := v.([]any); ok {
				for _, item := range list {
					add(k, scalar(item))
				}
				continue
			}
			add(k, scalar(v))
		}
	default:
		form, err := parseForm(body)
		if err != nil {
			return p, err
		}
		for k, vs := range form {
			delete(p, strings.TrimSuffix(k, "[]"))
			add(k, vs...)
		}
	}
	return p, nil
}

// scalar writes a JSON value as the string PHP would see.
func scalar(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case json.Number:
		return t.String()
	case bool:
		if t {
			return "1"
		}
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func parseForm(body []byte) (map[string][]string, error) {
	req, err := http.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if err := req.ParseForm(); err != nil {
		return nil, fmt.Errorf("form body: %w", err)
	}
	return req.PostForm, nil
}
