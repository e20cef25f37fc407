package fake

import (
	"fmt"
	"strings"
)

// siteOps maps the site operations the fake implements to their parsers.
var siteOps = map[string]func(n *node, version string) (func(s *Server) string, error){
	"get": parseSiteGet,
}

// Kinds of the site operator's get filter; the fake keeps no parents or
// guids, so those kinds select nothing.
var (
	siteFilterKinds = []string{"id", "parent-id", "parent-site-id", "name", "parent-name", "parent-site-name", "guid", "parent-guid", "parent-site-guid"}
	siteIDKinds     = map[string]bool{"id": true, "parent-id": true, "parent-site-id": true}
)

// genInfo renders a site's general info.
func genInfo(st *site) string {
	return fmt.Sprintf("<data><gen_info><cr_date>%s</cr_date><name>%s</name><ascii-name>%s</ascii-name><status>0</status><real_size>0</real_size><guid>%s</guid><webspace-id>%d</webspace-id></gen_info></data>",
		st.created.Format("2006-01-02"), escape(st.name), escape(strings.ToLower(st.name)), guid(st.id), st.id)
}

func guid(id uint64) string {
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", id)
}

func parseSiteGet(n *node, _ string) (func(*Server) string, error) {
	c := children(n)
	fN, err := c.want("filter")
	if err != nil {
		return nil, err
	}
	f, err := parseFilter(fN, 0, siteFilterKinds, siteIDKinds)
	if err != nil {
		return nil, err
	}
	ds, err := c.want("dataset")
	if err != nil {
		return nil, err
	}
	dc := children(ds)
	gi, err := dc.want("gen_info")
	if err != nil {
		return nil, err
	}
	if err := empty(gi); err != nil {
		return nil, err
	}
	if err := dc.end(); err != nil {
		return nil, err
	}
	if err := c.end(); err != nil {
		return nil, err
	}
	return func(s *Server) string {
		var out []*res
		found := func(filterID string, st *site) {
			r := okResult()
			if filterID != "" {
				r.el("filter-id", filterID)
			}
			out = append(out, r.el("id", itoa(st.id)).raw(genInfo(st)))
		}
		switch f.kind {
		case "":
			for _, id := range s.st.siteIDs() {
				found("", s.st.sites[id])
			}
		case "name":
			for _, name := range f.names {
				if st := s.st.siteByName(name); st != nil {
					found(name, st)
				} else {
					out = append(out, errResult(errSiteNotFound).el("filter-id", name))
				}
			}
		case "id":
			for _, id := range f.ids {
				if st := s.st.sites[id]; st != nil {
					found(itoa(id), st)
				} else {
					out = append(out, errResult(errSiteNotFound).el("filter-id", itoa(id)))
				}
			}
		}
		return join(out)
	}, nil
}
