package httpx

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInterruptedAfterSending: a context that ends while the server holds
// the request leaves an error that says the request went out; one that
// ended before leaves an error that says it did not. Both are the
// context's error.
func TestInterruptedAfterSending(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The server notices the client leaving only once it read the body.
		io.Copy(io.Discard, r.Body)
		cancel() // the server has the request: the client now gives up
		<-r.Context().Done()
	}))
	defer srv.Close()
	c := &Client{HTTP: srv.Client()}

	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/change", strings.NewReader("x=1"))
	_, err := c.Do(ctx, req)
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.Canceled), "%v is not context.Canceled", err)
	var ie *InterruptedError
	require.ErrorAs(t, err, &ie)
	assert.True(t, Sent(err), "a request the server received is reported sent")
	assert.Equal(t, "context canceled", err.Error())

	req, _ = http.NewRequest(http.MethodPost, srv.URL+"/change", strings.NewReader("x=1"))
	_, err = c.Do(ctx, req) // ctx has ended: nothing goes out
	require.ErrorIs(t, err, context.Canceled)
	assert.False(t, Sent(err), "a request never written is not reported sent")
}

func TestSent(t *testing.T) {
	for _, tc := range []struct {
		err  error
		sent bool
	}{
		{nil, false},
		{errors.New("HTTP 400"), false},
		{&TransientError{Err: errors.New("HTTP 503"), Sent: true}, true},
		{&TransientError{Err: errors.New("dial: connection refused")}, false},
		{&InterruptedError{Err: context.Canceled, Sent: true}, true},
		{&InterruptedError{Err: context.Canceled}, false},
	} {
		assert.Equal(t, tc.sent, Sent(tc.err), "%v", tc.err)
	}
}
