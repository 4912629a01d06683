package common

import "github.com/charmbracelet/lipgloss"

// Styles holds every style the UI draws with. This is the only file that
// creates lipgloss styles; views use these fields.
type Styles struct {
	App          lipgloss.Style
	Title        lipgloss.Style
	Subtitle     lipgloss.Style
	Muted        lipgloss.Style
	Rule         lipgloss.Style
	Selected     lipgloss.Style
	Cursor       lipgloss.Style
	LessonTitle  lipgloss.Style
	Summary      lipgloss.Style
	StateDone    lipgloss.Style
	StateActive  lipgloss.Style
	StateNew     lipgloss.Style
	StepDone     lipgloss.Style
	StepCurrent  lipgloss.Style
	StepTodo     lipgloss.Style
	Action       lipgloss.Style
	ActionTitle  lipgloss.Style
	ActionKey    lipgloss.Style
	ActionValue  lipgloss.Style
	Expect       lipgloss.Style
	Notice       lipgloss.Style
	Error        lipgloss.Style
	StatusBar    lipgloss.Style
	BadgeOK      lipgloss.Style
	BadgeDown    lipgloss.Style
	BadgeWait    lipgloss.Style
	StatusText   lipgloss.Style
	HelpBox      lipgloss.Style
	ProgressFull string // colour of the progress bar's filled part
	ProgressVoid string

	// Shared by result panels, the browser and the exercise screen.
	Panel        lipgloss.Style // a bordered box
	PanelTitle   lipgloss.Style
	Label        lipgloss.Style // a field name in key/value lists
	Value        lipgloss.Style
	Masked       lipgloss.Style // a masked secret value
	Revealed     lipgloss.Style // a secret value the learner asked to see
	Code         lipgloss.Style // snippets
	TabActive    lipgloss.Style
	TabInactive  lipgloss.Style
	Success      lipgloss.Style
	Warning      lipgloss.Style
	StageCurrent lipgloss.Style // AWSCURRENT
	StagePrev    lipgloss.Style // AWSPREVIOUS
	StagePending lipgloss.Style // AWSPENDING
	StageCustom  lipgloss.Style // labels of the learner's own
	TableHeader  lipgloss.Style
	RowSelected  lipgloss.Style
	Deleted      lipgloss.Style // secrets scheduled for deletion

	// Browser: styles only the secret browser uses (owned by its author).

	// Exercises: styles only the exercise screens use (owned by their author).
	CheckPass    lipgloss.Style // a passed check's mark
	CheckFail    lipgloss.Style // a failed check's mark
	CheckReason  lipgloss.Style // why a check failed
	HintTitle    lipgloss.Style
	PassedBanner lipgloss.Style
	Question     lipgloss.Style // a confirmation prompt
}

// DefaultStyles returns the styles for the current terminal. Colours adapt
// to light and dark backgrounds, and lipgloss drops them entirely when the
// colour profile is ASCII (NO_COLOR, a pipe, or a test).
func DefaultStyles() *Styles {
	accent := lipgloss.AdaptiveColor{Light: "#5A3FD9", Dark: "#9D8CFF"}
	green := lipgloss.AdaptiveColor{Light: "#1F7A3A", Dark: "#5FD787"}
	amber := lipgloss.AdaptiveColor{Light: "#8A5A00", Dark: "#F2C94C"}
	red := lipgloss.AdaptiveColor{Light: "#B3261E", Dark: "#FF6B6B"}
	muted := lipgloss.AdaptiveColor{Light: "#6B6B6B", Dark: "#8A8A8A"}
	faint := lipgloss.AdaptiveColor{Light: "#D0D0D0", Dark: "#3A3A3A"}

	return &Styles{
		App:          lipgloss.NewStyle().Padding(0, 1),
		Title:        lipgloss.NewStyle().Bold(true).Foreground(accent),
		Subtitle:     lipgloss.NewStyle().Foreground(muted),
		Muted:        lipgloss.NewStyle().Foreground(muted),
		Rule:         lipgloss.NewStyle().Foreground(faint),
		Selected:     lipgloss.NewStyle().Bold(true),
		Cursor:       lipgloss.NewStyle().Foreground(accent).Bold(true),
		LessonTitle:  lipgloss.NewStyle(),
		Summary:      lipgloss.NewStyle().Foreground(muted),
		StateDone:    lipgloss.NewStyle().Foreground(green),
		StateActive:  lipgloss.NewStyle().Foreground(amber),
		StateNew:     lipgloss.NewStyle().Foreground(muted),
		StepDone:     lipgloss.NewStyle().Foreground(green),
		StepCurrent:  lipgloss.NewStyle().Foreground(accent).Bold(true),
		StepTodo:     lipgloss.NewStyle().Foreground(muted),
		Action:       lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 1).MarginLeft(2),
		ActionTitle:  lipgloss.NewStyle().Bold(true).Foreground(accent),
		ActionKey:    lipgloss.NewStyle().Foreground(muted),
		ActionValue:  lipgloss.NewStyle(),
		Expect:       lipgloss.NewStyle().Foreground(amber),
		Notice:       lipgloss.NewStyle().Foreground(amber),
		Error:        lipgloss.NewStyle().Foreground(red),
		StatusBar:    lipgloss.NewStyle().Padding(0, 1),
		BadgeOK:      lipgloss.NewStyle().Foreground(green).Bold(true),
		BadgeDown:    lipgloss.NewStyle().Foreground(red).Bold(true),
		BadgeWait:    lipgloss.NewStyle().Foreground(amber).Bold(true),
		StatusText:   lipgloss.NewStyle().Foreground(muted),
		HelpBox:      lipgloss.NewStyle().Padding(0, 1),
		ProgressFull: "#5FD787",
		ProgressVoid: "#3A3A3A",

		Panel:        lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(faint).Padding(0, 1),
		PanelTitle:   lipgloss.NewStyle().Bold(true),
		Label:        lipgloss.NewStyle().Foreground(muted),
		Value:        lipgloss.NewStyle(),
		Masked:       lipgloss.NewStyle().Foreground(muted),
		Revealed:     lipgloss.NewStyle().Foreground(amber).Bold(true),
		Code:         lipgloss.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "#2B2B2B", Dark: "#D0D0D0"}),
		TabActive:    lipgloss.NewStyle().Bold(true).Foreground(accent).Underline(true),
		TabInactive:  lipgloss.NewStyle().Foreground(muted),
		Success:      lipgloss.NewStyle().Foreground(green),
		Warning:      lipgloss.NewStyle().Foreground(amber),
		StageCurrent: lipgloss.NewStyle().Foreground(green).Bold(true),
		StagePrev:    lipgloss.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "#1F5FA8", Dark: "#6CB6FF"}),
		StagePending: lipgloss.NewStyle().Foreground(amber),
		StageCustom:  lipgloss.NewStyle().Foreground(accent),
		TableHeader:  lipgloss.NewStyle().Bold(true).Foreground(muted),
		RowSelected:  lipgloss.NewStyle().Bold(true).Foreground(accent),
		Deleted:      lipgloss.NewStyle().Foreground(red).Strikethrough(true),

		// Browser

		// Exercises
		CheckPass:    lipgloss.NewStyle().Foreground(green).Bold(true),
		CheckFail:    lipgloss.NewStyle().Foreground(red).Bold(true),
		CheckReason:  lipgloss.NewStyle().Foreground(muted),
		HintTitle:    lipgloss.NewStyle().Foreground(amber).Bold(true),
		PassedBanner: lipgloss.NewStyle().Foreground(green).Bold(true),
		Question:     lipgloss.NewStyle().Foreground(amber).Bold(true),
	}
}

// Labels Secrets Manager gives versions itself.
const (
	StageCurrent  = "AWSCURRENT"
	StagePrevious = "AWSPREVIOUS"
	StagePending  = "AWSPENDING"
)

// StageStyle is the style of a staging label, the same in the lesson's
// version picture and the browser's timeline.
func StageStyle(s *Styles, stage string) lipgloss.Style {
	switch stage {
	case StageCurrent:
		return s.StageCurrent
	case StagePrevious:
		return s.StagePrev
	case StagePending:
		return s.StagePending
	}
	return s.StageCustom
}
