package providers

import "context"

type logKey struct{}

// WithLog returns a context under which providers describe their calls to
// logf (zonesync --verbose). What they log is the call, never its
// parameters: no credential, token or record data goes to a log line.
func WithLog(ctx context.Context, logf func(format string, args ...any)) context.Context {
	return context.WithValue(ctx, logKey{}, logf)
}

// Logf logs to the context's logger, if it has one.
func Logf(ctx context.Context, format string, args ...any) {
	if logf, ok := ctx.Value(logKey{}).(func(string, ...any)); ok {
		logf(format, args...)
	}
}
