package node

import (
	"container/heap"
	"sync/atomic"
	"time"
)

// Clock is the time source of nodes. Every timer of a node goes through
// it, so a lab can run a node on virtual time.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// AfterFunc calls f once d has passed.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending call scheduled by a Clock.
type Timer interface {
	// Stop cancels the call and reports whether it was still pending.
	Stop() bool
}

// VirtualClock is a Clock whose time moves only when its owner runs it:
// timers fire in order of their due time, then of their scheduling, so a
// run is the same every time. It is not safe for concurrent use: one
// goroutine (or one lock) owns it together with the nodes it drives.
type VirtualClock struct {
	now    atomic.Int64 // nanoseconds since the Unix epoch; Now may race with the owner
	seq    uint64
	events eventQueue
}

// Epoch is the time a VirtualClock starts at unless told otherwise.
var Epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// NewVirtualClock returns a clock standing at start.
func NewVirtualClock(start time.Time) *VirtualClock {
	c := &VirtualClock{}
	c.set(start)

	return c
}

// Now implements Clock. Unlike the other methods it may be called from any
// goroutine, so that loggers elsewhere can stamp records with lab time.
func (c *VirtualClock) Now() time.Time { return time.Unix(0, c.now.Load()).UTC() }

func (c *VirtualClock) set(t time.Time) { c.now.Store(t.UnixNano()) }

// AfterFunc implements Clock. A negative d counts as zero.
func (c *VirtualClock) AfterFunc(d time.Duration, f func()) Timer {
	c.seq++
	e := &event{at: c.Now().Add(max(d, 0)), seq: c.seq, f: f, clock: c}
	heap.Push(&c.events, e)

	return e
}

// Pending returns the number of timers not yet fired.
func (c *VirtualClock) Pending() int { return len(c.events) }

// Step fires the next timer, moving time to its due time, and reports
// whether there was one.
func (c *VirtualClock) Step() bool {
	if len(c.events) == 0 {
		return false
	}

	e := heap.Pop(&c.events).(*event)
	c.set(e.at)
	e.f()

	return true
}

// RunFor fires every timer due within d, in order, then leaves the clock d
// later than it was.
func (c *VirtualClock) RunFor(d time.Duration) {
	end := c.Now().Add(d)
	for len(c.events) > 0 && !c.events[0].at.After(end) {
		c.Step()
	}
	c.set(end)
}

// RunUntil fires timers in order until done reports true or the next timer
// is due later than limit from now; it reports whether done was reached.
// done is checked before each timer.
func (c *VirtualClock) RunUntil(done func() bool, limit time.Duration) bool {
	end := c.Now().Add(limit)
	for !done() {
		if len(c.events) == 0 || c.events[0].at.After(end) {
			return false
		}
		c.Step()
	}

	return true
}

// event is one scheduled call; it is its own Timer.
type event struct {
	at    time.Time
	seq   uint64
	f     func()
	clock *VirtualClock
	index int // position in the queue, -1 once fired or stopped
}

// Stop implements Timer.
func (e *event) Stop() bool {
	if e.index < 0 {
		return false
	}
	heap.Remove(&e.clock.events, e.index)

	return true
}

// eventQueue is a min-heap of events by (at, seq).
type eventQueue []*event

func (q eventQueue) Len() int { return len(q) }

func (q eventQueue) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}

	return q[i].seq < q[j].seq
}

func (q eventQueue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].index, q[j].index = i, j
}

func (q *eventQueue) Push(x any) {
	e := x.(*event)
	e.index = len(*q)
	*q = append(*q, e)
}

func (q *eventQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	old[len(old)-1] = nil
	e.index = -1
	*q = old[:len(old)-1]

	return e
}
