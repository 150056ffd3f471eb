package lab

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// command is one console command.
type command struct {
	name string // first word typed
	args string // argument synopsis, for help
	help string // one line
	run  func(l *Lab, w io.Writer, args []string) error
}

// errUsage marks a command typed with the wrong arguments.
var errUsage = errors.New("usage")

// errQuit ends the console.
var errQuit = errors.New("quit")

// Exec runs one console line and writes its output to w. An unknown
// command or a bad argument is an error; the lab goes on.
func (l *Lab) Exec(w io.Writer, line string) error {
	args := strings.Fields(line)
	if len(args) == 0 || strings.HasPrefix(args[0], "#") {
		return nil // a blank line or a comment
	}

	for _, c := range commands {
		if c.name == args[0] {
			return c.exec(l, w, args[1:])
		}
	}

	return fmt.Errorf("unknown command %q (try help)", clip(args[0], 40))
}

func (c command) exec(l *Lab, w io.Writer, args []string) error {
	err := c.run(l, w, args)
	if errors.Is(err, errUsage) {
		return fmt.Errorf("usage: %s (%s)", strings.TrimSpace(c.name+" "+c.args), c.help)
	}

	return err
}

// maxLine is the longest console line read; longer lines are rejected.
const maxLine = 64 << 10

// errLineTooLong is reported for a console line over maxLine bytes.
var errLineTooLong = fmt.Errorf("line longer than %d bytes: ignored", maxLine)

// Console reads commands from r, one a line, until EOF or quit, writing
// their output and errors to w. With prompt set it shows "lab> " first.
func (l *Lab) Console(r io.Reader, w io.Writer, prompt bool) error {
	// NB: command output and announcements share w, one write at a time.
	l.out.swap(w)
	defer l.out.swap(l.cfg.Output)
	w = l.out

	br := bufio.NewReaderSize(r, maxLine)
	for {
		if prompt {
			fmt.Fprint(w, "lab> ")
		}

		line, err := readLine(br)
		switch {
		case errors.Is(err, io.EOF):
			if prompt {
				fmt.Fprintln(w)
			}
			return nil
		case errors.Is(err, errLineTooLong):
		case err != nil:
			return err
		default:
			err = l.Exec(w, line)
		}

		if errors.Is(err, errQuit) {
			return nil
		}
		if err != nil {
			fmt.Fprintf(w, "error: %v\n", err)
		}
	}
}

// readLine returns the next line of br without its line ending. A line
// longer than the reader's buffer is skipped whole and errLineTooLong
// returned; a last line without a newline counts as a line.
func readLine(br *bufio.Reader) (string, error) {
	line, err := br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		for errors.Is(err, bufio.ErrBufferFull) {
			_, err = br.ReadSlice('\n')
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}

		return "", errLineTooLong
	}
	if err != nil && (!errors.Is(err, io.EOF) || len(line) == 0) {
		return "", err
	}

	return strings.TrimRight(string(line), "\r\n"), nil
}

// clip shortens s to at most n bytes for an error message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}

	return s[:n] + "..."
}
