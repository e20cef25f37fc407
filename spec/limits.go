package spec

import (
	"fmt"
	"io"
	"strconv"

	"github.com/miekg/dns"
	"github.com/zonesync/zonesync/internal/yamlx"
	"github.com/zonesync/zonesync/model"
)

// maxValueText is the longest value text that can stand for MaxRDATA
// bytes of data: each byte written as a \DDD escape, with room for quotes
// and spaces. Longer values are refused by their length, unparsed.
const maxValueText = 4*model.MaxRDATA + 1024

// measureAbove is the length of canonical value above which its record
// data is measured. No presentation form carries more than four bytes of
// data per character (a uint32 field written "0" and a space carries two),
// so a shorter value cannot reach MaxRDATA.
const measureAbove = model.MaxRDATA / 4

// MaxSpecFile is the largest zone spec file zonesync reads, in bytes.
const MaxSpecFile = 256 << 20

// MaxSpecLine is the longest line of a zone spec zonesync reads, in
// bytes: far more than any value needs, so that a line too long to hold
// a valid value is refused before the YAML parse, which is the costly part.
const MaxSpecLine = 1 << 20

// specFileLimit and specLineLimit are MaxSpecFile and MaxSpecLine; tests lower them.
var (
	specFileLimit int64 = MaxSpecFile
	specLineLimit       = MaxSpecLine
)

// specFileProblem says why a spec file of size bytes is not read, or "".
func specFileProblem(size int64) string {
	if size <= specFileLimit {
		return ""
	}
	return fmt.Sprintf("the spec file is %s bytes; zonesync reads spec files of at most %s bytes", thousands(size), thousands(specFileLimit))
}

// sizeProblems refuses a spec of size bytes, read from src, that is too big
// to parse or holds a line too long for any value, before the YAML parse
// that would cost far more than the check. It reads src in small pieces,
// so a big file is never held whole.
func sizeProblems(file string, src io.ReaderAt, size int64) yamlx.ErrorList {
	if why := specFileProblem(size); why != "" {
		return yamlx.ErrorList{{Pos: model.Pos{File: file, Line: 1, Col: 1}, Msg: why}}
	}
	if size <= int64(specLineLimit) {
		return nil
	}
	if line, why := longLine(io.NewSectionReader(src, 0, size)); why != "" {
		return yamlx.ErrorList{{Pos: model.Pos{File: file, Line: line, Col: 1}, Msg: why}}
	}
	return nil
}

// longLine finds the first line of r longer than specLineLimit and says
// why it is refused; line is 0 when there is none.
func longLine(r io.Reader) (line int, why string) {
	buf := make([]byte, 64<<10)
	n, length := 1, 0
	for {
		k, err := r.Read(buf)
		for _, b := range buf[:k] {
			if b != '\n' {
				length++
				continue
			}
			if length > specLineLimit {
				return n, lineTooLong(length)
			}
			n, length = n+1, 0
		}
		if err != nil {
			if length > specLineLimit {
				return n, lineTooLong(length)
			}
			return 0, ""
		}
	}
}

func lineTooLong(length int) string {
	return fmt.Sprintf("this line is %s bytes long; zonesync reads spec lines of at most %s bytes (no value can be longer than %s characters)",
		thousands(int64(length)), thousands(int64(specLineLimit)), thousands(maxValueText))
}

// valueTextProblem refuses a value by the length of its text alone, before
// it is parsed: TXT text carries at least a byte of data per byte, and no
// other value longer than maxValueText can fit in a record.
func valueTextProblem(rrtype string, n int) string {
	switch {
	case (rrtype == "TXT" || rrtype == "SPF") && n > model.MaxRDATA:
		return fmt.Sprintf("the value is %s bytes long; a DNS record holds at most %s bytes of data", thousands(int64(n)), thousands(model.MaxRDATA))
	case n > maxValueText:
		return fmt.Sprintf("the value is %s bytes long; no value of a record holding at most %s bytes of data is longer than %s characters",
			thousands(int64(n)), thousands(model.MaxRDATA), thousands(maxValueText))
	}
	return ""
}

// rdataProblem says why a canonical value does not fit in one record, or "".
func rdataProblem(rrtype, value string) string {
	if len(value) <= measureAbove {
		return ""
	}
	n, err := rdataLen(rrtype, value)
	switch {
	case err != nil:
		return fmt.Sprintf("the value does not fit in one DNS record (%v); a DNS record holds at most %s bytes of data", err, thousands(model.MaxRDATA))
	case n > model.MaxRDATA:
		return fmt.Sprintf("the value is %s bytes of record data; a DNS record holds at most %s (a 65,535-byte message less its header and the record's own)", thousands(int64(n)), thousands(model.MaxRDATA))
	}
	return ""
}

// rdataLen returns how many bytes of record data a canonical value takes on the wire.
func rdataLen(rrtype, value string) (int, error) {
	rr, err := model.NewRR(".", 0, rrtype, value)
	if err != nil {
		return 0, err
	}
	// dns.Len counts escapes as written, so it is at least the packed size.
	buf := make([]byte, dns.Len(rr)+1)
	end, err := dns.PackRR(rr, buf, 0, nil, false)
	if err != nil {
		return 0, err
	}
	// The header of a record owned by ".": the name's one byte, type,
	// class, TTL and length.
	return end - 11, nil
}

// recordSetSize returns how many bytes the record set takes as DNS records
// in zone, uncompressed, and stops counting once it is past limit.
func recordSetSize(rs *model.RecordSet, zone string, limit int) (int, error) {
	// Owner names in a spec are plain labels: their wire form is one byte
	// longer than their presentation form.
	fixed := len(model.FQDN(rs.Name, zone)) + 1 + 10
	bound := 0
	for _, v := range rs.Values {
		bound += fixed + 4*len(v)
	}
	if bound <= limit {
		return bound, nil
	}
	size := 0
	for _, v := range rs.Values {
		n, err := rdataLen(rs.Type, v)
		if err != nil {
			return 0, err
		}
		size += fixed + n
	}
	return size, nil
}

// thousands formats n with commas between groups of three digits.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}
