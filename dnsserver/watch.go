package dnsserver

import (
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/miekg/dns"
)

// DefaultReloadInterval is how often zone files are polled for changes
// when Config.ReloadInterval is zero.
const DefaultReloadInterval = time.Second

// quietPeriod is how long the files of a zone must go unchanged before the
// zone is reloaded: an editor saving a file makes a burst of events, and a
// file written in place is briefly empty or short.
const quietPeriod = 100 * time.Millisecond

// racyWindow bounds how coarse file modification times are: a file
// written again within it of its last stamp may keep that stamp. Linux
// file systems stamp from a clock that ticks every few milliseconds; FAT
// keeps 2 s.
const racyWindow = 2 * time.Second

// stamp is what polling compares of a file first.
type stamp struct {
	mod  int64 // modification time, Unix nanoseconds
	size int64 // -1 when the file cannot be stat'ed
}

func statFile(path string) stamp {
	fi, err := os.Stat(path)
	if err != nil {
		return stamp{size: -1}
	}

	return stamp{mod: fi.ModTime().UnixNano(), size: fi.Size()}
}

// filePrint is a file as a load read it, as far as polling can tell.
type filePrint struct {
	stamp
	sum [sha256.Size]byte // content hash; zero when unreadable
	at  time.Time         // when taken or last found the same
}

// printFile stats and hashes the file at path; now must be no later than
// the call.
func printFile(path string, now time.Time) filePrint {
	p := filePrint{stamp: statFile(path), at: now}

	f, err := os.Open(path)
	if err != nil {
		return p
	}
	defer f.Close()

	h := sha256.New()
	if _, err := io.Copy(h, f); err == nil {
		h.Sum(p.sum[:0])
	}

	return p
}

// racy reports whether the file can have changed since p was taken without
// its stamp changing (git's "racily clean" entries).
func (p filePrint) racy() bool {
	return p.mod >= p.at.Add(-racyWindow).UnixNano()
}

// check reports whether the file at path differs from p, comparing its
// content while its stamp cannot be trusted, and returns p brought up to
// now when it does not.
func (p filePrint) check(path string, now time.Time) (filePrint, bool) {
	if statFile(path) != p.stamp {
		return p, true
	}
	if !p.racy() {
		return p, false
	}

	q := printFile(path, now)
	if q.sum != p.sum || q.stamp != p.stamp {
		return p, true
	}

	return q, false
}

// printZoneFiles prints the file of each zone before it is loaded.
func printZoneFiles(zones []ZoneConfig, now time.Time) map[string]filePrint {
	prints := make(map[string]filePrint, len(zones))
	for _, zc := range zones {
		f := absPath(zc.File)
		prints[f] = printFile(f, now)
	}

	return prints
}

// watchedZone is what the watcher knows of one zone.
type watchedZone struct {
	zc       ZoneConfig
	files    []string             // absolute: the zone file, then its includes
	prints   map[string]filePrint // the files as the last load read them
	loadedAt time.Time            // when the last load started
	seen     map[string]stamp     // the files when last looked at, while due
	due      time.Time            // when to reload; zero when not pending
}

// stamps stats every file of z.
func (z *watchedZone) stamps() map[string]stamp {
	m := make(map[string]stamp, len(z.files))
	for _, f := range z.files {
		m[f] = statFile(f)
	}

	return m
}

// printAll prints every file of z.
func (z *watchedZone) printAll(now time.Time) map[string]filePrint {
	m := make(map[string]filePrint, len(z.files))
	for _, f := range z.files {
		m[f] = printFile(f, now)
	}

	return m
}

// changed reports whether the files of z differ from what the last load
// read. A file that load found only while reading, such as a new include,
// counts as changed if modified since the load started; if not, it is
// printed now for later polls to compare with.
func (z *watchedZone) changed(now time.Time) bool {
	for _, f := range z.files {
		p, ok := z.prints[f]
		if !ok {
			p = printFile(f, z.loadedAt)
			if p.mod >= z.loadedAt.UnixNano() {
				return true
			}
		}

		p, changed := p.check(f, now)
		if changed {
			return true
		}
		z.prints[f] = p
	}

	return false
}

// schedule makes z due at t, its files being as in seen.
func (z *watchedZone) schedule(seen map[string]stamp, t time.Time) {
	z.seen, z.due = seen, t
}

// watcher reloads the zones whose files change. It watches the files'
// directories with fsnotify, since editors replace a file by renaming a new
// one over it, and polls the files every interval in case events never
// come. Its goroutine, run, owns every field but stopc and done.
type watcher struct {
	s        *Server
	interval time.Duration
	fsw      *fsnotify.Watcher // nil when polling only
	zones    []*watchedZone
	byFile   map[string][]*watchedZone // absolute path → the zones reading it
	dirs     map[string]bool           // directories handed to fsw
	timer    *time.Timer               // fires when the first zone is due

	stopc chan struct{} // closed by stop
	done  chan struct{} // closed when run returns
}

// startWatcher watches the files of every zone until the watcher's stop.
func (s *Server) startWatcher() *watcher {
	w := &watcher{
		s:        s,
		interval: s.config().ReloadInterval,
		dirs:     make(map[string]bool),
		timer:    time.NewTimer(time.Hour),
		stopc:    make(chan struct{}),
		done:     make(chan struct{}),
	}
	w.timer.Stop()

	for _, zc := range s.config().Zones {
		f := absPath(zc.File)
		w.zones = append(w.zones, &watchedZone{
			zc:       zc,
			prints:   map[string]filePrint{f: s.prints[f]},
			loadedAt: s.loadedAt,
		})
	}
	if !s.pollOnly {
		w.fsw = w.newFSWatcher()
	}
	w.refresh()

	go w.run()

	return w
}

func (w *watcher) newFSWatcher() *fsnotify.Watcher {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		w.s.log.Warn("file events unavailable; polling zone files only", "err", err)
		return nil
	}

	return fsw
}

// stop ends the watcher and waits for its goroutine until ctx ends. A nil
// watcher is stopped already.
func (w *watcher) stop(ctx context.Context) error {
	if w == nil {
		return nil
	}
	close(w.stopc)

	select {
	case <-w.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (w *watcher) run() {
	defer close(w.done)
	defer w.close()

	tick := time.NewTicker(w.interval)
	defer tick.Stop()

	var events <-chan fsnotify.Event
	var errs <-chan error
	if w.fsw != nil {
		events, errs = w.fsw.Events, w.fsw.Errors
	}

	for {
		select {
		case <-w.stopc:
			return
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			w.event(ev)
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			w.eventError(err)
		case <-tick.C:
			w.poll()
		case <-w.timer.C:
			w.fire()
		}
		w.arm()
	}
}

func (w *watcher) close() {
	w.timer.Stop()
	if w.fsw == nil {
		return
	}
	if err := w.fsw.Close(); err != nil {
		w.s.log.Warn("closing the file watcher failed", "err", err)
	}
}

// event postpones the reload of the zones that read the file ev is about.
func (w *watcher) event(ev fsnotify.Event) {
	// Chmod alone changes no content; a removal sends Remove as well, and
	// polling sees a touch.
	if ev.Op == fsnotify.Chmod {
		return
	}

	now := time.Now()
	for _, z := range w.byFile[filepath.Clean(ev.Name)] {
		z.schedule(z.stamps(), now.Add(quietPeriod))
	}
}

// eventError logs an error of fsnotify. When events were lost, every zone
// is reloaded once its files are quiet.
func (w *watcher) eventError(err error) {
	w.s.log.Warn("file watch error", "err", err)

	if errors.Is(err, fsnotify.ErrEventOverflow) {
		now := time.Now()
		for _, z := range w.zones {
			z.schedule(z.stamps(), now.Add(quietPeriod))
		}
	}
}

// poll schedules a reload of each zone whose files changed since it was
// last loaded. Files last modified a quiet period ago are loaded at once.
func (w *watcher) poll() {
	w.refresh()

	now := time.Now()
	for _, z := range w.zones {
		if z.due.IsZero() && z.changed(now) {
			cur := z.stamps()
			z.schedule(cur, now.Add(settle(cur, now)))
		}
	}
}

// settle returns how long files stamped as in cur still have to go
// unchanged to have been quiet for a quiet period at now.
func settle(cur map[string]stamp, now time.Time) time.Duration {
	var newest int64
	for _, st := range cur {
		newest = max(newest, st.mod)
	}
	age := now.Sub(time.Unix(0, newest))

	return min(max(quietPeriod-age, 0), quietPeriod)
}

// fire reloads the zones that are due and whose files have not changed
// since they were last looked at; the others wait for another quiet period.
func (w *watcher) fire() {
	now := time.Now()
	for _, z := range w.zones {
		if z.due.IsZero() || z.due.After(now) || w.stopping() {
			continue
		}

		cur := z.stamps()
		if !maps.Equal(cur, z.seen) {
			z.schedule(cur, now.Add(quietPeriod))
			continue
		}
		w.reload(z, now)
	}
}

// reload loads z again; now must be no later than the call.
func (w *watcher) reload(z *watchedZone, now time.Time) {
	z.schedule(nil, time.Time{})
	z.prints, z.loadedAt = z.printAll(now), now

	_, _ = w.s.reload(z.zc) // logged and reported by reload
	w.refresh()
}

func (w *watcher) stopping() bool {
	select {
	case <-w.stopc:
		return true
	default:
		return false
	}
}

// arm sets the timer to fire when the first zone is due.
func (w *watcher) arm() {
	var next time.Time
	for _, z := range w.zones {
		if !z.due.IsZero() && (next.IsZero() || z.due.Before(next)) {
			next = z.due
		}
	}

	if next.IsZero() {
		w.timer.Stop()
		return
	}
	w.timer.Reset(time.Until(next))
}

// refresh reads the file list of every zone served, which changes when a
// reload finds other includes, and watches the directories of new files.
func (w *watcher) refresh() {
	set := w.s.zones.Load()

	changed := false
	for _, z := range w.zones {
		files := absPaths(set.byOrigin[dns.CanonicalName(z.zc.Origin)].Files())
		if !slices.Equal(files, z.files) {
			z.files, changed = files, true
		}
	}

	if changed {
		w.index()
	}
}

// index maps the files to their zones and hands fsnotify the directories
// that hold them.
func (w *watcher) index() {
	w.byFile = make(map[string][]*watchedZone)
	dirs := make(map[string]bool)
	for _, z := range w.zones {
		for _, f := range z.files {
			w.byFile[f] = append(w.byFile[f], z)
			dirs[filepath.Dir(f)] = true
		}
	}

	for dir := range dirs {
		if !w.dirs[dir] {
			w.watchDir(dir)
		}
	}
	for dir := range w.dirs {
		if !dirs[dir] && w.fsw != nil {
			_ = w.fsw.Remove(dir) // gone already if the directory was removed
		}
	}
	w.dirs = dirs
}

func (w *watcher) watchDir(dir string) {
	if w.fsw == nil {
		return
	}

	if err := w.fsw.Add(dir); err != nil {
		w.s.log.Warn("cannot watch directory; polling its zone files only",
			"dir", dir, "err", err)
	}
}

// absPaths returns files as absolute, clean paths.
func absPaths(files []string) []string {
	out := make([]string, 0, len(files))
	for _, f := range files {
		out = append(out, absPath(f))
	}

	return out
}

// absPath returns file as an absolute, clean path, the form fsnotify names
// it in when given its absolute directory.
func absPath(file string) string {
	abs, err := filepath.Abs(file)
	if err != nil {
		return filepath.Clean(file)
	}

	return abs
}
