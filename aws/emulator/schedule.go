package emulator

import (
	"strconv"
	"strings"
	"time"
)

// schedule is a parsed RotationRules: every N days, rate(N hours|days), or
// an AWS cron(min hour dom month dow year) expression, evaluated in UTC.
type schedule struct {
	every  time.Duration // AutomaticallyAfterDays or rate()
	byDays bool          // AutomaticallyAfterDays: the window ends at the end of a UTC day
	cron   *cronExpr
	window time.Duration // Duration, or the default window
}

// parseRules validates RotationRules as the service does.
func parseRules(r *RotationRules) (*schedule, error) {
	if r.AutomaticallyAfterDays != nil && r.ScheduleExpression != nil {
		return nil, apiErr(ErrInvalidParameter, msgBothSchedules)
	}
	sc := &schedule{}
	if d := r.Duration; d != nil {
		n, err := strconv.Atoi(strings.TrimSuffix(*d, "h"))
		if !strings.HasSuffix(*d, "h") || err != nil || len(*d) < 2 || len(*d) > 3 || n < 1 || n > 24 {
			return nil, validationErr(*d, "rotationRules.duration", "Member must satisfy regular expression pattern: [0-9h]+")
		}
		sc.window = time.Duration(n) * time.Hour
	}
	switch {
	case r.AutomaticallyAfterDays != nil:
		n := *r.AutomaticallyAfterDays
		if n < 1 || n > 1000 {
			return nil, validationErr(strconv.FormatInt(n, 10), "rotationRules.automaticallyAfterDays", "Member must have value between 1 and 1000")
		}
		sc.every, sc.byDays = time.Duration(n)*24*time.Hour, true
	case r.ScheduleExpression != nil:
		e := strings.TrimSpace(*r.ScheduleExpression)
		switch {
		case strings.HasPrefix(e, "rate(") && strings.HasSuffix(e, ")"):
			f := strings.Fields(e[5 : len(e)-1])
			if len(f) != 2 {
				return nil, badSchedule(e)
			}
			n, err := strconv.Atoi(f[0])
			if err != nil || n < 1 {
				return nil, badSchedule(e)
			}
			switch strings.TrimSuffix(f[1], "s") {
			case "hour":
				sc.every = time.Duration(n) * time.Hour
			case "day":
				sc.every, sc.byDays = time.Duration(n)*24*time.Hour, true
			default:
				return nil, badSchedule(e)
			}
			if sc.every < 4*time.Hour {
				return nil, apiErr(ErrInvalidParameter, "The schedule expression %s is invalid: the rotation interval must be at least 4 hours.", e)
			}
		case strings.HasPrefix(e, "cron(") && strings.HasSuffix(e, ")"):
			c, err := parseCron(e[5 : len(e)-1])
			if err != nil {
				return nil, badSchedule(e)
			}
			sc.cron = c
		default:
			return nil, badSchedule(e)
		}
	default:
		if r.Duration == nil {
			return nil, nil
		}
	}
	return sc, nil
}

func badSchedule(e string) error {
	return apiErr(ErrInvalidParameter, "The schedule expression %s is invalid. Use rate(N hours), rate(N days) or cron(minutes hours day-of-month month day-of-week year).", e)
}

// next is the NextRotationDate after a rotation at now: the end of the
// rotation window that starts one interval later (AWS shows the latest time
// by which the rotation happens).
func (sc *schedule) next(now time.Time) time.Time {
	now = now.UTC()
	switch {
	case sc == nil:
		return time.Time{}
	case sc.cron != nil:
		t := sc.cron.next(now)
		if t.IsZero() {
			return t
		}
		return t.Add(sc.windowOr(time.Hour))
	case sc.byDays:
		day := now.Truncate(24 * time.Hour).Add(sc.every)
		if sc.window > 0 {
			return day.Add(sc.window)
		}
		return day.Add(24*time.Hour - time.Second)
	default:
		return now.Add(sc.every).Add(sc.windowOr(time.Hour))
	}
}

func (sc *schedule) windowOr(d time.Duration) time.Duration {
	if sc.window > 0 {
		return sc.window
	}
	return d
}

// cronExpr is an AWS cron expression: six fields, one of day-of-month and
// day-of-week must be "?". L, W and # are not supported.
type cronExpr struct {
	min, hour, dom, month, dow, year []bool
	domAny, dowAny                   bool
}

var monthNames = map[string]int{"JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12}
var dayNames = map[string]int{"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}

func parseCron(s string) (*cronExpr, error) {
	f := strings.Fields(s)
	if len(f) != 6 {
		return nil, errBadCron
	}
	c := &cronExpr{}
	var err error
	if c.min, err = cronField(f[0], 0, 59, nil); err != nil {
		return nil, err
	}
	if c.hour, err = cronField(f[1], 0, 23, nil); err != nil {
		return nil, err
	}
	c.domAny, c.dowAny = f[2] == "?", f[4] == "?"
	if c.domAny == c.dowAny {
		return nil, errBadCron
	}
	if !c.domAny {
		if c.dom, err = cronField(f[2], 1, 31, nil); err != nil {
			return nil, err
		}
	}
	if c.month, err = cronField(f[3], 1, 12, monthNames); err != nil {
		return nil, err
	}
	if !c.dowAny {
		if c.dow, err = cronField(f[4], 1, 7, dayNames); err != nil {
			return nil, err
		}
	}
	if c.year, err = cronField(f[5], 1970, 2199, nil); err != nil {
		return nil, err
	}
	return c, nil
}

var errBadCron = apiErr(ErrInvalidParameter, "invalid cron expression")

func cronField(s string, lo, hi int, names map[string]int) ([]bool, error) {
	set := make([]bool, hi+1)
	for _, part := range strings.Split(s, ",") {
		step := 1
		if i := strings.IndexByte(part, '/'); i >= 0 {
			n, err := strconv.Atoi(part[i+1:])
			if err != nil || n < 1 {
				return nil, errBadCron
			}
			step, part = n, part[:i]
		}
		a, b := lo, hi
		if part != "*" {
			r := strings.SplitN(part, "-", 2)
			var err error
			if a, err = cronValue(r[0], names); err != nil {
				return nil, err
			}
			b = a
			if len(r) == 2 {
				if b, err = cronValue(r[1], names); err != nil {
					return nil, err
				}
			} else if step > 1 {
				b = hi
			}
		}
		if a < lo || b > hi || a > b {
			return nil, errBadCron
		}
		for v := a; v <= b; v += step {
			set[v] = true
		}
	}
	return set, nil
}

func cronValue(s string, names map[string]int) (int, error) {
	if v, ok := names[strings.ToUpper(s)]; ok {
		return v, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return 0, errBadCron
	}
	return v, nil
}

// next returns the first matching minute strictly after t (zero if none
// within the expression's years).
func (c *cronExpr) next(t time.Time) time.Time {
	t = t.Truncate(time.Minute).Add(time.Minute)
	for d := 0; d < 366*5; d++ {
		day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		if c.dayMatches(day) {
			for h := 0; h < 24; h++ {
				if !c.hour[h] {
					continue
				}
				for mi := 0; mi < 60; mi++ {
					if c.min[mi] {
						cand := day.Add(time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute)
						if !cand.Before(t) {
							return cand
						}
					}
				}
			}
		}
		t = day.Add(24 * time.Hour)
	}
	return time.Time{}
}

func (c *cronExpr) dayMatches(day time.Time) bool {
	y := day.Year()
	if y >= len(c.year) || !c.year[y] || !c.month[int(day.Month())] {
		return false
	}
	if !c.domAny {
		return c.dom[day.Day()]
	}
	return c.dow[int(day.Weekday())+1]
}
