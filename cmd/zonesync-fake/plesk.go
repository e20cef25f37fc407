package main

import "github.com/zonesync/zonesync/providers/plesk/fake"

func init() {
	fakes["plesk"] = func(c credentials) server {
		return fake.New(fake.Options{Login: c.user, Password: c.password, SecretKey: c.key})
	}
}
