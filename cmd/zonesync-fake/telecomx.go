package main

import "github.com/zonesync/zonesync/providers/telecomx/fake"

func init() {
	fakes["telecomx"] = func(c credentials) server {
		return fake.New(fake.Options{Username: c.user, Password: c.password})
	}
}
