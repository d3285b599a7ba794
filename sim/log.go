package sim

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"
)

// logSink writes log lines stamped with virtual time (never the real
// clock) and the node they come from.
type logSink struct {
	w     *World
	out   io.Writer
	level slog.Level
}

func newLogSink(w *World, out io.Writer, level int) *logSink {
	return &logSink{w: w, out: out, level: slog.Level(level)}
}

// logger returns a logger whose lines name source.
func (s *logSink) logger(source string) *slog.Logger {
	return slog.New(&logHandler{sink: s, source: source})
}

// Logger returns the world's logger (lines marked "world").
func (w *World) Logger() *slog.Logger { return w.log.logger("world") }

// Logf writes one line to the world's log.
func (w *World) Logf(format string, args ...any) {
	w.log.write("world", slog.LevelInfo, fmt.Sprintf(format, args...), "")
}

func (s *logSink) write(source string, level slog.Level, msg, attrs string) {
	if s.out == nil || level < s.level {
		return
	}
	fmt.Fprintf(s.out, "%s %-5s %-4s %s%s\n", fmtVTime(s.w.now), source, level.String(), msg, attrs)
}

// fmtVTime renders virtual time as seconds with microseconds, fixed width.
func fmtVTime(d time.Duration) string {
	return fmt.Sprintf("[%6d.%06ds]", d/time.Second, (d%time.Second)/time.Microsecond)
}

// logHandler is an slog.Handler over a logSink. It ignores the record's
// real-time stamp.
type logHandler struct {
	sink   *logSink
	source string
	attrs  string // pre-rendered " k=v" pairs
	group  string
}

// Enabled reports whether level reaches the sink.
func (h *logHandler) Enabled(_ context.Context, level slog.Level) bool {
	return h.sink.out != nil && level >= h.sink.level
}

// Handle writes the record.
func (h *logHandler) Handle(_ context.Context, r slog.Record) error {
	var b bytes.Buffer
	b.WriteString(h.attrs)
	r.Attrs(func(a slog.Attr) bool {
		writeAttr(&b, h.group, a)
		return true
	})
	h.sink.write(h.source, r.Level, r.Message, b.String())
	return nil
}

// WithAttrs returns a handler that adds attrs to every line.
func (h *logHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	var b strings.Builder
	b.WriteString(h.attrs)
	for _, a := range attrs {
		writeAttr(&b, h.group, a)
	}
	c := *h
	c.attrs = b.String()
	return &c
}

// WithGroup returns a handler that qualifies later keys with name.
func (h *logHandler) WithGroup(name string) slog.Handler {
	c := *h
	c.group = h.group + name + "."
	return &c
}

func writeAttr(b io.StringWriter, group string, a slog.Attr) {
	if a.Equal(slog.Attr{}) {
		return
	}
	b.WriteString(" " + group + a.Key + "=" + a.Value.Resolve().String())
}
