package node_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"dnslab/node"
)

// Timers fire by due time, then in the order they were set; stopped timers
// never fire; RunFor leaves the clock exactly d later.
func TestVirtualClockOrder(t *testing.T) {
	clock := node.NewVirtualClock(node.Epoch)
	var fired []string
	at := func(name string) func() {
		return func() { fired = append(fired, name+"@"+clock.Now().Sub(node.Epoch).String()) }
	}

	clock.AfterFunc(2*time.Second, at("b"))
	clock.AfterFunc(time.Second, at("a"))
	clock.AfterFunc(2*time.Second, at("c"))
	stopped := clock.AfterFunc(1500*time.Millisecond, at("never"))
	clock.AfterFunc(-time.Second, at("now"))
	clock.AfterFunc(time.Second, func() { clock.AfterFunc(0, at("nested")) })

	assert.True(t, stopped.Stop())
	assert.False(t, stopped.Stop())
	clock.RunFor(3 * time.Second)

	assert.Equal(t, []string{"now@0s", "a@1s", "nested@1s", "b@2s", "c@2s"}, fired)
	assert.Equal(t, node.Epoch.Add(3*time.Second), clock.Now())
	assert.Zero(t, clock.Pending())
}

// RunUntil stops as soon as the condition holds, or when the next timer is
// beyond the limit.
func TestVirtualClockRunUntil(t *testing.T) {
	clock := node.NewVirtualClock(node.Epoch)
	n := 0
	var tick func()
	tick = func() { n++; clock.AfterFunc(5*time.Second, tick) }
	clock.AfterFunc(0, tick)

	assert.True(t, clock.RunUntil(func() bool { return n == 3 }, time.Minute))
	assert.Equal(t, node.Epoch.Add(10*time.Second), clock.Now())

	assert.False(t, clock.RunUntil(func() bool { return false }, 12*time.Second))
	assert.Equal(t, 5, n)
	assert.Equal(t, 1, clock.Pending())
}
