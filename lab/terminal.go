package lab

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/chzyer/readline"
)

// Terminal runs the console on a terminal: the "lab> " prompt, line
// editing and a history kept in ~/.dnslab_history. Announcements, such as a
// zone file edited by hand, appear above the prompt as they happen. It
// returns at end of input (Ctrl-D) or quit.
func (l *Lab) Terminal(stdin io.ReadCloser, stdout io.Writer) error {
	rl, err := readline.NewEx(&readline.Config{
		Prompt:          prompt,
		HistoryFile:     historyFile(),
		Stdin:           stdin,
		Stdout:          stdout,
		InterruptPrompt: "^C",
		EOFPrompt:       "quit",
		AutoComplete:    completer(),
	})
	if err != nil {
		return err
	}
	defer rl.Close()

	l.out.swap(rl.Stdout())
	defer l.out.swap(l.cfg.Output)

	return l.readLines(rl)
}

// readLines runs the lines rl reads until end of input or quit.
func (l *Lab) readLines(rl *readline.Instance) error {
	for {
		line, err := rl.Readline()
		switch {
		case errors.Is(err, readline.ErrInterrupt):
			continue
		case errors.Is(err, io.EOF):
			return nil
		case err != nil:
			return err
		}

		err = l.Exec(rl.Stdout(), line)
		if errors.Is(err, errQuit) {
			return nil
		}
		if err != nil {
			fmt.Fprintf(rl.Stdout(), "error: %v\n", err)
		}
	}
}

// completer completes command names with the Tab key.
func completer() readline.AutoCompleter {
	items := make([]readline.PrefixCompleterInterface, 0, len(commands))
	for _, c := range commands {
		items = append(items, readline.PcItem(c.name))
	}

	return readline.NewPrefixCompleter(items...)
}

// historyFile returns where the console keeps its history, or "" for none.
func historyFile() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}

	return filepath.Join(home, ".dnslab_history")
}
