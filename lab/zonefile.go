package lab

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/miekg/dns"

	"dnslab/zone"
)

// ownEditEcho is how long after one of the lab's own zone edits a reload
// with the same serial is taken for the watcher seeing that edit, and not
// announced a second time.
const ownEditEcho = 2 * time.Second

// announced is the lab's last own zone edit, to tell the watcher's echo
// of it from an edit by hand.
type announced struct {
	serial  uint32
	at      time.Time
	pending bool // the edit's own reload is under way; it reports itself
}

// announceReload tells the console about a reload of the zone: the
// server's OnReload. Edits by hand are announced as the server picks them
// up; the lab's own edits are announced by the command that made them.
func (l *Lab) announceReload(origin string, serial uint32, err error) {
	l.annMu.Lock()
	own := l.reloaded
	l.annMu.Unlock()

	echo := err == nil && serial == own.serial && time.Since(own.at) < ownEditEcho
	if own.pending || echo {
		return
	}

	text := l.reloadText(origin, serial, err)
	if err == nil && !l.serialRaised(serial) {
		text += " (serial not raised: secondaries would not see this change)"
	}
	fmt.Fprintln(l.out, text)
}

// serialRaised reports whether serial is greater than the last one served
// (RFC 1982), and remembers it.
func (l *Lab) serialRaised(serial uint32) bool {
	l.annMu.Lock()
	defer l.annMu.Unlock()

	raised := int32(serial-l.served) > 0
	l.served = serial

	return raised
}

// reloadText describes a reload of the zone.
func (l *Lab) reloadText(origin string, serial uint32, err error) string {
	if err != nil {
		return fmt.Sprintf("zone %s not reloaded: %s; still serving serial %d",
			origin, firstLine(err), serial)
	}

	z := l.server.Zone(origin)

	return fmt.Sprintf("zone %s reloaded: serial %d, %d records", origin, serial, z.Len())
}

func firstLine(err error) string {
	text, _, _ := strings.Cut(err.Error(), "\n")
	return text
}

// editZone changes the zone file with edit, raises the serial, checks that
// the zone still loads, writes the file back and reloads it; the reload is
// announced. The file is changed as a person would: lines added or
// removed, the serial bumped in place. An edit that would break the zone
// leaves the file as it was.
func (l *Lab) editZone(edit func(lines []string) ([]string, error)) error {
	path := l.cfg.ZoneFile
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}

	lines, err := edit(strings.Split(string(data), "\n"))
	if err != nil {
		return err
	}

	serial, err := l.bumpSerial(lines)
	if err != nil {
		return err
	}
	text := strings.Join(lines, "\n")
	if _, err := zone.Parse(strings.NewReader(text), l.cfg.Origin, path); err != nil {
		return fmt.Errorf("the zone would not load, so %s is left as it was: %s",
			filepath.Base(path), firstLine(err))
	}
	if err := writeFileAtomic(path, []byte(text)); err != nil {
		return err
	}

	return l.reloadOwnEdit(serial)
}

// reloadOwnEdit reloads the zone after the lab's own edit and announces it.
func (l *Lab) reloadOwnEdit(serial uint32) error {
	l.setOwnEdit(announced{serial: serial, pending: true})
	err := l.server.ReloadZone(l.cfg.Origin)
	l.setOwnEdit(announced{serial: serial, at: time.Now()})
	if err != nil {
		return err
	}
	l.serialRaised(serial)

	_, err = fmt.Fprintln(l.out, l.reloadText(l.server.Zone(l.cfg.Origin).Origin(), serial, nil))

	return err
}

func (l *Lab) setOwnEdit(a announced) {
	l.annMu.Lock()
	defer l.annMu.Unlock()

	l.reloaded = a
}

// addRecord appends rr, in presentation form, to the zone file. A record
// outside the zone, or one the file has already, is refused.
func (l *Lab) addRecord(text string) error {
	rr, err := l.parseRR(text)
	if err != nil {
		return err
	}
	if !dns.IsSubDomain(l.cfg.Origin, rr.Header().Name) {
		return fmt.Errorf("%s is outside the zone %s", rr.Header().Name, l.cfg.Origin)
	}

	found, err := l.findRecord(rr)
	switch {
	case err != nil:
		return err
	case len(found) > 0:
		return fmt.Errorf("the zone has this record already (line %d)", found[0].line)
	}

	return l.editZone(func(lines []string) ([]string, error) {
		if n := len(lines); n > 0 && lines[n-1] == "" {
			return append(lines[:n-1], text, ""), nil
		}
		return append(lines, text), nil
	})
}

// deleteRecord removes every line that holds rr from the zone file. A
// following line that took its owner from a removed one gets it written
// out.
func (l *Lab) deleteRecord(text string) error {
	rr, err := l.parseRR(text)
	if err != nil {
		return err
	}

	found, err := l.findRecord(rr)
	switch {
	case err != nil:
		return err
	case len(found) == 0:
		return fmt.Errorf("no such record in %s: %s", filepath.Base(l.cfg.ZoneFile), rr)
	}

	return l.editZone(func(lines []string) ([]string, error) {
		for i := len(found) - 1; i >= 0; i-- {
			if lines, err = removeLine(lines, found[i].line, found[i].next); err != nil {
				return nil, err
			}
		}
		return lines, nil
	})
}

// parseRR reads one record written as in the zone file, relative names
// taken from the origin.
func (l *Lab) parseRR(text string) (dns.RR, error) {
	zp := dns.NewZoneParser(strings.NewReader(text), l.cfg.Origin, "")
	zp.SetDefaultTTL(3600)
	rr, ok := zp.Next()
	if err := zp.Err(); err != nil {
		why, _, _ := strings.Cut(strings.TrimPrefix(err.Error(), "dns: "), " at line:")
		return nil, fmt.Errorf("bad record %q: %s", text, why)
	}
	if !ok {
		return nil, fmt.Errorf("no record in %q", text)
	}

	return rr, nil
}

// place is where a record is in the zone file: its line and the line of
// the record after it (0 if none).
type place struct{ line, next int }

// findRecord returns the places of the zone file, in order, that hold rr.
func (l *Lab) findRecord(rr dns.RR) ([]place, error) {
	var found []place
	err := zone.Scan(l.cfg.ZoneFile, l.cfg.Origin, func(r dns.RR, file string, at int) bool {
		if n := len(found); n > 0 && found[n-1].next == 0 {
			found[n-1].next = at
		}
		if file == l.cfg.ZoneFile && dns.IsDuplicate(r, rr) {
			found = append(found, place{line: at})
		}
		return true
	})

	return found, err
}

// fileSerial returns the SOA serial written in the zone file.
func (l *Lab) fileSerial() (uint32, error) {
	var serial uint32
	found := false
	err := zone.Scan(l.cfg.ZoneFile, l.cfg.Origin, func(r dns.RR, _ string, _ int) bool {
		if soa, ok := r.(*dns.SOA); ok {
			serial, found = soa.Serial, true
			return false
		}
		return true
	})
	if err == nil && !found {
		err = errors.New("the zone file has no SOA record")
	}

	return serial, err
}

// removeLine removes line (1-based) from lines; when the line after it,
// next, inherits its owner, the owner is written out there.
func removeLine(lines []string, line, next int) ([]string, error) {
	text := lines[line-1]
	if strings.ContainsAny(text, "()") {
		return nil, fmt.Errorf("line %d spans several lines; edit the file by hand", line)
	}

	owner := ""
	if text != "" && text[0] != ' ' && text[0] != '\t' {
		owner = strings.Fields(text)[0]
	}
	if inheritsOwner(lines, next) && owner != "" {
		lines[next-1] = owner + lines[next-1]
	}

	return append(lines[:line-1], lines[line:]...), nil
}

// inheritsOwner reports whether line (1-based; 0 for none) starts with a
// blank, so that its record takes the owner of the one before.
func inheritsOwner(lines []string, line int) bool {
	return line > 0 && (strings.HasPrefix(lines[line-1], " ") ||
		strings.HasPrefix(lines[line-1], "\t"))
}

// soaWord finds the SOA type in a record.
var soaWord = regexp.MustCompile(`(?i)\bSOA\b`)

// bumpSerial raises the SOA serial in lines by one (RFC 1982 arithmetic)
// where it is written, after the SOA type, comments left alone, and
// returns the new serial.
func (l *Lab) bumpSerial(lines []string) (uint32, error) {
	old, err := l.fileSerial()
	if err != nil {
		return 0, err
	}
	next := strconv.FormatUint(uint64(old+1), 10)
	word := regexp.MustCompile(`\b` + strconv.FormatUint(uint64(old), 10) + `\b`)

	inSOA := false
	for i, line := range lines {
		code, _, _ := strings.Cut(line, ";")
		from := 0
		if !inSOA {
			loc := soaWord.FindStringIndex(code)
			if loc == nil {
				continue
			}
			inSOA, from = true, loc[1]
		}

		if loc := word.FindStringIndex(code[from:]); loc != nil {
			lines[i] = line[:from+loc[0]] + next + line[from+loc[1]:]
			return old + 1, nil
		}
	}

	return 0, errors.New("cannot find the SOA serial in the zone file; edit it by hand")
}

// writeFileAtomic replaces the file at path with data, as editors do: a
// new file renamed over the old one, so the server never reads half.
func writeFileAtomic(path string, data []byte) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}

	tmp, err := os.CreateTemp(filepath.Dir(path), ".dnslab-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())

	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), info.Mode()); err != nil {
		return err
	}

	return os.Rename(tmp.Name(), path)
}
