package ui

import (
	"context"
	"strings"
	"testing"

	sdkaws "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	tea "github.com/charmbracelet/bubbletea"
)

// TestBrowserIsKeptAcrossVisits opens the browser from home, moves the
// cursor, leaves and comes back: the list is where the learner left it, and
// a secret created meanwhile shows (the list reloads on every visit).
func TestBrowserIsKeptAcrossVisits(t *testing.T) {
	m := liveModel(t)
	client := m.c.Backend.Conn.Client
	create := func(name string) {
		t.Helper()
		if _, err := client.CreateSecret(context.Background(), &secretsmanager.CreateSecretInput{Name: sdkaws.String(name), SecretString: sdkaws.String("demo-kept-5d5d")}); err != nil {
			t.Fatal(err)
		}
	}
	create("secretlings/a")
	create("secretlings/b")
	var tm tea.Model = m
	tm = send(tm, tea.WindowSizeMsg{Width: 100, Height: 30})
	for _, k := range []string{"s", "j"} {
		tm = send(tm, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
	}
	if !strings.Contains(tm.View(), "›   secretlings/b") {
		t.Fatalf("the cursor is not on the second secret:\n%s", tm.View())
	}
	tm = send(tm, tea.KeyMsg{Type: tea.KeyEsc})
	if tm.(Model).screen != screenHome {
		t.Fatal("esc did not go back home")
	}
	create("secretlings/c")
	tm = send(tm, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("s")})
	v := tm.View()
	if !strings.Contains(v, "›   secretlings/b") {
		t.Errorf("coming back, the cursor is no longer where it was:\n%s", v)
	}
	if !strings.Contains(v, "secretlings/c") {
		t.Errorf("coming back, the list did not reload:\n%s", v)
	}
	// The root's footer shows the browser's help whole at 100 columns.
	lines := strings.Split(v, "\n")
	if help := lines[len(lines)-2]; strings.Contains(help, "…") || !strings.Contains(help, "? help") {
		t.Errorf("the help line is clipped: %q", help)
	}
}

// Keys typed together reach the browser one by one through the root: jjj
// moves three rows, and /growth opens the filter and types the rest into it.
func TestBrowserTakesFastKeysOneByOne(t *testing.T) {
	m := liveModel(t)
	for _, name := range []string{"secretlings/a", "secretlings/b", "secretlings/c", "secretlings/growth"} {
		if _, err := m.c.Backend.Conn.Client.CreateSecret(context.Background(), &secretsmanager.CreateSecretInput{Name: sdkaws.String(name), SecretString: sdkaws.String("demo-fast-5d5d")}); err != nil {
			t.Fatal(err)
		}
	}
	var tm tea.Model = m
	tm = send(tm, tea.WindowSizeMsg{Width: 100, Height: 30})
	tm = send(tm, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("s")})
	tm = send(tm, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jjj")})
	if !strings.Contains(tm.View(), "›   secretlings/growth") {
		t.Errorf("jjj in one message did not move the cursor to the fourth row:\n%s", tm.View())
	}
	tm = send(tm, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/grow")})
	if !tm.(Model).capturing() || !strings.Contains(tm.View(), "grow") {
		t.Errorf("/grow in one message did not type grow into the filter:\n%s", tm.View())
	}
}
