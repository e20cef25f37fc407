package main

import "github.com/zonesync/zonesync/providers/cloudns/fake"

func init() {
	fakes["cloudns"] = func(c credentials) server {
		// ClouDNS's own limit: 20 requests per second from one address.
		return fake.New(fake.Options{AuthID: c.user, Password: c.password, RequestsPerSecond: 20})
	}
}
