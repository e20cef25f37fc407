package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFmtCheckPrintsTheDiff(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "example.com.yaml")
	messy := "provider: local\nzone: example.com\nrecords:\n  www:\n    - {type: A, value: 192.0.2.1}\n  \"@\":\n    - {type: a, value: 192.0.2.2}\n"
	require.NoError(t, os.WriteFile(file, []byte(messy), 0o644))
	code, out, errOut := zonesync(t, "fmt", "--check", file)
	assert.Equal(t, 1, code)
	assert.Equal(t, "zonesync: 1 spec is not formatted; run zonesync fmt\n", errOut)
	assert.Equal(t, "--- "+file+"\n+++ "+file+"\n"+`@@ -1,7 +1,7 @@
-provider: local
 zone: example.com
+provider: local
 records:
+  "@":
+    - {type: A, value: 192.0.2.2}
   www:
     - {type: A, value: 192.0.2.1}
-  "@":
-    - {type: a, value: 192.0.2.2}
`, out)
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, messy, string(data), "fmt --check changed the file")
}

func TestFmtKeepsTheTopComment(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"comment on the first key",
			"# Managed by zonesync; see README.\nprovider: local\nzone: example.com\n",
			"# Managed by zonesync; see README.\nzone: example.com\nprovider: local\n"},
		{"schema line, blank line, comment",
			"# yaml-language-server: $schema=zone.schema.json\n\n# Our main zone.\nttl: 300\nzone: example.com\nprovider: local\n",
			"# yaml-language-server: $schema=zone.schema.json\n\n# Our main zone.\nzone: example.com\nprovider: local\nttl: 300\n"},
		{"comments further down stay with their keys",
			"# top\nprovider: local\n# the zone\nzone: example.com\n",
			"# top\n# the zone\nzone: example.com\nprovider: local\n"},
		{"no comment", "provider: local\nzone: example.com\n", "zone: example.com\nprovider: local\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := formatSpec([]byte(tc.in))
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(got))
			again, err := formatSpec(got)
			require.NoError(t, err)
			assert.Equal(t, string(got), string(again), "formatting is idempotent")
		})
	}
	t.Run("errors keep their line numbers", func(t *testing.T) {
		_, err := formatSpec([]byte("# one\n# two\nzone: example.com\nrecords:\n  www:\n    - {type: A, value: not-an-ip}\n"))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "line 6:")
	})
}

func TestUnifiedDiffMatchesDiffAndPatch(t *testing.T) {
	for _, bin := range []string{"diff", "patch"} {
		if _, err := exec.LookPath(bin); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is not installed", bin)
			}
			t.Skipf("%s is not installed", bin)
		}
	}
	lines := func(n int, f func(i int) string) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(f(i) + "\n")
		}
		return b.String()
	}
	plain := func(i int) string { return "line " + string(rune('a'+i%26)) + string(rune('a'+i/26)) }
	for _, tc := range []struct{ name, before, after string }{
		{"one change", lines(20, plain), strings.Replace(lines(20, plain), "line ja", "line JA", 1)},
		{"two hunks", lines(40, plain), strings.Replace(strings.Replace(lines(40, plain), "line ca", "line CA", 1), "line kb", "line KB", 1)},
		{"changes close together share a hunk", lines(30, plain), strings.Replace(strings.Replace(lines(30, plain), "line fa", "x", 1), "line la", "y", 1)},
		{"insert at the top", lines(10, plain), "new\n" + lines(10, plain)},
		{"delete at the end", lines(10, plain), lines(9, plain)},
		{"from nothing", "", "a\nb\n"},
		{"no newline at the end", "a\nb", "a\nb\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "f.yaml")
			require.NoError(t, os.WriteFile(file, []byte(tc.before), 0o644))
			require.NoError(t, os.WriteFile(file+".new", []byte(tc.after), 0o644))
			got := unifiedDiff(file, []byte(tc.before), []byte(tc.after))
			want, _ := exec.Command("diff", "-u", file, file+".new").Output()
			// diff's headers carry times and the second name; the hunks must match.
			hunks := func(d string) string { return d[strings.Index(d, "@@"):] }
			assert.Equal(t, hunks(string(want)), hunks(got))
			patch := exec.Command("patch", "-s", "-p0")
			patch.Dir = "/"
			patch.Stdin = strings.NewReader(got)
			out, err := patch.CombinedOutput()
			require.NoError(t, err, "%s", out)
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			assert.Equal(t, tc.after, string(data))
		})
	}
}

// TestFmtFormatsTemplates: fmt walks the templates directory as it walks
// the zones directory, puts a template's keys in their documented order,
// sorts its names, types and values, and leaves values using a parameter
// as written; the template still validates afterwards.
func TestFmtFormatsTemplates(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "zonesync.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("providers:\n  local: {type: zonefile, directory: live}\nzones: zones/\ntemplates: templates/\n"), 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "zones"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "templates"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "live"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "zones", "example.com.yaml"),
		[]byte("zone: example.com\nprovider: local\ninclude:\n  - web: {ip: 192.0.2.1}\n"), 0o644))
	tmpl := filepath.Join(dir, "templates", "web.yaml")
	messy := "# The web front.\nrecords:\n  www:\n    - {value: \"${ip}\", type: a}\n  \"@\":\n    - {type: MX, values: [\"20 Mail2.example.net.\", \"10 mail.example.net.\"]}\n    - {type: A, value: \"${ip}\"}\nttl: 300\nparameters:\n  ip:\n    default: 192.0.2.9\n    description: the web server's address\ndescription: the web front\n"
	require.NoError(t, os.WriteFile(tmpl, []byte(messy), 0o644))

	code, out, errOut := zonesync(t, "--config", cfg, "fmt", "--check")
	require.Equal(t, 1, code, out+errOut)
	assert.Equal(t, "zonesync: 1 template is not formatted; run zonesync fmt\n", errOut)
	assert.True(t, strings.HasPrefix(out, "--- "+tmpl+"\n+++ "+tmpl+"\n"), out)
	data, err := os.ReadFile(tmpl)
	require.NoError(t, err)
	assert.Equal(t, messy, string(data), "fmt --check changed the template")

	code, out, errOut = zonesync(t, "--config", cfg, "fmt")
	require.Equal(t, 0, code, out+errOut)
	assert.Equal(t, tmpl+"\n", out)
	data, err = os.ReadFile(tmpl)
	require.NoError(t, err)
	assert.Equal(t, "# The web front.\ndescription: the web front\nparameters:\n  ip:\n    description: the web server's address\n    default: 192.0.2.9\nttl: 300\nrecords:\n  \"@\":\n    - {type: A, value: \"${ip}\"}\n    - {type: MX, values: [\"10 mail.example.net.\", \"20 mail2.example.net.\"]}\n  www:\n    - {type: A, value: \"${ip}\"}\n", string(data))

	code, out, errOut = zonesync(t, "--config", cfg, "fmt", "--check")
	assert.Equal(t, 0, code, out+errOut)
	code, out, errOut = zonesync(t, "--config", cfg, "fmt", "--check", tmpl)
	assert.Equal(t, 0, code, "a template named on the command line:\n"+out+errOut)
	code, out, errOut = zonesync(t, "--config", cfg, "validate")
	assert.Equal(t, 0, code, "the formatted template validates:\n"+out+errOut)
}
