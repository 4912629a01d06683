#!/usr/bin/env bash
# Regenerates docs/lesson.png, the README's picture: the real TUI in tmux,
# driven with send-keys, captured with its colours and rendered by freeze
# (go install github.com/charmbracelet/freeze@v0.2.2).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "capture.sh needs tmux" >&2; exit 1; }
command -v freeze >/dev/null || { echo "capture.sh needs freeze: go install github.com/charmbracelet/freeze@v0.2.2" >&2; exit 1; }

bin=$(mktemp -d)/secretlings
state=$(mktemp -d)
go build -o "$bin" .
session=secretlings-capture
tmux kill-session -t "$session" 2>/dev/null || true
tmux new-session -d -s "$session" -x 100 -y 34 \
	"env COLORTERM=truecolor TERM=xterm-256color SECRETLINGS_STATE_DIR=$state $bin"
trap 'tmux kill-session -t "$session" 2>/dev/null || true' EXIT

sleep 1.5                       # first frame
tmux send-keys -t "$session" Enter; sleep 0.5   # open lesson 1
for _ in 1 2 3; do tmux send-keys -t "$session" n; sleep 0.4; done  # step 4, "Read it back"
tmux send-keys -t "$session" r; sleep 1.2       # run GetSecretValue (replays CreateSecret)
tmux capture-pane -e -p -t "$session" > "$state/lesson.ansi"
freeze --language ansi --window --padding 20 --font.size 12 -o docs/lesson.png "$state/lesson.ansi"
