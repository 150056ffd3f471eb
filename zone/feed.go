package zone

import (
	"github.com/miekg/dns"
)

// The parser and the indexing each take a core: records go from the one to
// the other in batches, over a channel.

// batchSize is how many records travel together.
const batchSize = 512

// queued is one parsed record and where it ends.
type queued struct {
	rr   dns.RR
	file string
	line int
}

// feed carries batches of records to the goroutine that indexes them.
type feed struct {
	batch []queued
	work  chan []queued
	free  chan []queued
	done  chan struct{}
}

// add queues rr, read from the current file and ending on line, for
// indexing. It is called from the parsing goroutine.
func (b *builder) add(rr dns.RR, line int) {
	f := &b.feed
	if f.batch == nil {
		f.batch = b.newBatch()
	}

	f.batch = append(f.batch, queued{rr: rr, file: b.file, line: line})
	if len(f.batch) == batchSize {
		b.send()
	}
}

// newBatch returns an empty batch, a used one when there is one.
func (b *builder) newBatch() []queued {
	select {
	case batch := <-b.feed.free:
		return batch[:0]
	default:
		return make([]queued, 0, batchSize)
	}
}

// send hands the current batch to the indexing goroutine, starting it on
// first use.
func (b *builder) send() {
	f := &b.feed
	if f.work == nil {
		f.work = make(chan []queued, 4)
		f.free = make(chan []queued, 4)
		f.done = make(chan struct{})
		go b.consume()
	}

	f.work <- f.batch
	f.batch = nil
}

// consume indexes batches until the feed closes.
func (b *builder) consume() {
	defer close(b.feed.done)

	for batch := range b.feed.work {
		b.indexBatch(batch)
		clear(batch)
		select {
		case b.feed.free <- batch:
		default:
		}
	}
}

func (b *builder) indexBatch(batch []queued) {
	for _, q := range batch {
		b.cur = q.file
		b.index(q.rr, q.line)
	}
}

// drain waits until every queued record is indexed.
func (b *builder) drain() {
	f := &b.feed
	if f.work == nil {
		b.indexBatch(f.batch)
		f.batch = nil
		return
	}

	if len(f.batch) > 0 {
		b.send()
	}
	close(f.work)
	<-f.done
	f.work = nil
}

// discard stops the indexing goroutine after a failed parse.
func (b *builder) discard() {
	b.feed.batch = nil
	b.drain()
}
