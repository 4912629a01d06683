package ui

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"secretlings/checker"
)

// exerciseEditedMsg says the editor the learner opened with e has exited.
// A save needs no message: the watcher notices it.
type exerciseEditedMsg struct {
	id     string
	editor string
	err    error
}

// editorCommand is the learner's editor ($VISUAL, else $EDITOR, which may
// carry arguments such as "code -w") on files, or nil when neither is set.
func editorCommand(files []string) (*exec.Cmd, string) {
	for _, name := range []string{"VISUAL", "EDITOR"} {
		if f := strings.Fields(os.Getenv(name)); len(f) > 0 {
			return exec.Command(f[0], append(f[1:], files...)...), f[0]
		}
	}
	return nil, ""
}

// editCmd suspends the app and opens the exercise's files in the learner's
// editor, as git commit does; without one it says where the files are and
// how to set one.
func (v *exerciseScreen) editCmd() tea.Cmd {
	if v.ex.Kind == checker.State && len(v.editFiles()) == 0 {
		v.note = "This exercise has no file to edit: do it in the app (s opens the secrets), with the aws CLI or in any language."
		return nil
	}
	files := v.files()
	if v.ex.Kind == checker.State {
		// Its files (a policy, an answer) are edited, not watched: the
		// state is re-checked every few seconds anyway.
		files = nil
		for _, f := range v.editFiles() {
			files = append(files, filepath.Join(v.g.Root(), v.ex.Dir(), f))
		}
	}
	cmd, name := editorCommand(files)
	if cmd == nil {
		shown := make([]string, len(files))
		for i, f := range files {
			shown[i] = displayPath(f)
		}
		v.note = fmt.Sprintf("No editor is set: open %s in your editor, or set one (export EDITOR=vim, or VISUAL=\"code -w\") and press %s again.",
			strings.Join(shown, ", "), v.c.Keys.Edit.Help().Key)
		return nil
	}
	if _, err := exec.LookPath(cmd.Path); err != nil {
		// Said at once, without handing the terminal to a program that
		// cannot start (and without a blank frame while it fails).
		v.edited(exerciseEditedMsg{id: v.ex.ID, editor: name, err: err})
		return nil
	}
	v.note = ""
	id := v.ex.ID
	return tea.ExecProcess(cmd, func(err error) tea.Msg { return exerciseEditedMsg{id: id, editor: name, err: err} })
}

// edited reports an editor that could not run or failed; a clean exit says
// nothing, since the save is graded anyway.
func (v *exerciseScreen) edited(msg exerciseEditedMsg) {
	if msg.id != v.ex.ID || msg.err == nil {
		return
	}
	var exit *exec.ExitError
	if errors.As(msg.err, &exit) {
		v.note = fmt.Sprintf("The editor %q exited with status %d.", msg.editor, exit.ExitCode())
		return
	}
	v.note = fmt.Sprintf("The editor %q could not run (%v): set VISUAL or EDITOR to an editor on your PATH.", msg.editor, msg.err)
}

// displayPath is p relative to the working directory when it is inside it,
// which is shorter to read and to paste.
func displayPath(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return p
}
