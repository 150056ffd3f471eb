package lab

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"time"

	"dnslab/node"
)

// NewLogHandler returns a text slog.Handler for a lab's Logger that writes
// each record's time as lab time, the time elapsed on the lab's virtual
// clock since it started ("00:00:05.120", "1d00:00:05.120").
func NewLogHandler(w io.Writer, level slog.Leveler) slog.Handler {
	return slog.NewTextHandler(w, &slog.HandlerOptions{
		Level: level,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey && len(groups) == 0 {
				return slog.String(slog.TimeKey, labTime(a.Value.Time().Sub(node.Epoch)))
			}

			return a
		},
	})
}

// labTime formats an elapsed lab time.
func labTime(d time.Duration) string {
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	clock := time.Time{}.Add(d).Format("15:04:05.000")
	if days > 0 {
		return fmt.Sprintf("%dd%s", days, clock)
	}

	return clock
}

// virtualTime returns a logger whose records carry the time of clock and
// that logs only while on holds true.
func virtualTime(log *slog.Logger, clock *node.VirtualClock, on *atomic.Bool) *slog.Logger {
	return slog.New(&clockHandler{next: log.Handler(), clock: clock, on: on})
}

// clockHandler is a slog.Handler that stamps records with a virtual clock.
type clockHandler struct {
	next  slog.Handler
	clock *node.VirtualClock
	on    *atomic.Bool
}

func (h *clockHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.on.Load() && h.next.Enabled(ctx, l)
}

func (h *clockHandler) Handle(ctx context.Context, r slog.Record) error {
	r.Time = h.clock.Now()
	return h.next.Handle(ctx, r)
}

func (h *clockHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &clockHandler{next: h.next.WithAttrs(attrs), clock: h.clock, on: h.on}
}

func (h *clockHandler) WithGroup(name string) slog.Handler {
	return &clockHandler{next: h.next.WithGroup(name), clock: h.clock, on: h.on}
}
