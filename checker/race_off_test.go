//go:build !race

package checker

// raceEnabled tells the tests whether they were built with -race.
const raceEnabled = false
