package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// An RNAME whose domain holds an escaped @ reads and writes back as itself
// (found by fuzzing zone files).
func TestMboxWithEscapedAtRoundTrips(t *testing.T) {
	for _, mbox := range []string{`0.\@.example.com.`, `a\.b.ex\@mple.com.`, `a\@b.example.com.`} {
		assert.Equal(t, mbox, MailToMbox(MboxToMail(mbox)), "RNAME %s via %s", mbox, MboxToMail(mbox))
	}
}
