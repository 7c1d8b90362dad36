//! Calendars of days off: the school calendar (holidays, a decree's moved days, school breaks) and
//! the working-day calendar that appeals' deadlines count on (holidays and a decree's moves only).
//! Both are data per year that the republic edits (FIELD.md: the government moves days off by
//! decree), never computed from rules alone; the same type holds either.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// Today in Kazakhstan (one time zone, UTC+5, since March 2024): the day a form's "not in the
/// future" is checked against, so that a date typed after 19:00 UTC is not refused as tomorrow.
pub fn today() -> NaiveDate {
    crate::appeal::local_day(chrono::Utc::now())
}

/// The days a school works: Monday to Friday, less the days off, plus the weekend days worked
/// instead (a decree's moves), plus nothing in the breaks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    /// Days off: holidays, the days a decree moves them to, school breaks.
    pub off: BTreeSet<NaiveDate>,
    /// Saturdays or Sundays worked instead.
    pub worked: BTreeSet<NaiveDate>,
}

impl Calendar {
    /// Whether pupils are expected at school on `d`.
    pub fn is_school_day(&self, d: NaiveDate) -> bool {
        if self.worked.contains(&d) {
            return true;
        }
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !self.off.contains(&d)
    }

    /// The school days from `from` to `to`, both included.
    pub fn school_days(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        from.iter_days().take_while(|d| *d <= to).filter(|d| self.is_school_day(*d)).collect()
    }

    /// The school days of the month that starts on `month`.
    pub fn school_days_of_month(&self, month: NaiveDate) -> Vec<NaiveDate> {
        let next = month.checked_add_months(chrono::Months::new(1)).unwrap_or(month);
        self.school_days(month, next.pred_opt().unwrap_or(month))
    }

    /// Kazakhstan's days off in 2026 (FIELD.md): the public holidays, Orthodox Christmas and the
    /// first day of Kurban Ait, and the days the decree moved (9 March, 24–25 March, 11 May,
    /// 31 August, 26 October). School breaks are the region's to add.
    pub fn kazakhstan_2026() -> Calendar {
        let days = [
            (1, 1),
            (1, 2),
            (1, 7),
            (3, 8),
            (3, 9),
            (3, 21),
            (3, 22),
            (3, 23),
            (3, 24),
            (3, 25),
            (5, 1),
            (5, 7),
            (5, 9),
            (5, 11),
            (5, 27),
            (7, 6),
            (8, 30),
            (8, 31),
            (10, 25),
            (10, 26),
            (12, 16),
        ];
        Calendar {
            off: days.iter().filter_map(|(m, d)| NaiveDate::from_ymd_opt(2026, *m, *d)).collect(),
            worked: BTreeSet::new(),
        }
    }
}

impl Calendar {
    /// Whether `d` is a working day (Monday to Friday less the days off, plus weekend days
    /// worked instead); on the school calendar the same rule says whether pupils are expected.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        self.is_school_day(d)
    }

    /// The `n`-th working day after `from` (`from` itself not counted, whatever it is): a term
    /// of 15 working days from an appeal received on a Friday ends on the third Friday after it,
    /// later by each day off on the way. Zero days is `from` itself.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut day = from;
        let mut left = n;
        while left > 0 {
            match day.succ_opt() {
                Some(next) => day = next,
                None => return day,
            }
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// The working days after `from` up to and including `to` (zero when `to` is not after it).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let days = from.iter_days().skip(1).take_while(|d| *d <= to).filter(|d| self.is_working_day(*d)).count();
        u32::try_from(days).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn a_term_of_working_days_steps_over_weekends_and_days_off() {
        let c = Calendar::kazakhstan_2026();
        // Friday 2 October 2026: three weeks of working days end on Friday 23 October.
        assert_eq!(c.add_working_days(d(10, 2), 15), d(10, 23));
        // Friday 16 October: 25 and 26 October (Republic Day and its moved day) are off.
        assert_eq!(c.add_working_days(d(10, 16), 15), d(11, 9));
        // Received on a Sunday: the Monday after counts as the first day.
        assert_eq!(c.add_working_days(d(10, 4), 1), d(10, 5));
        // Nauryz: 20 March (Friday) + 1 working day is 26 March (21–25 March off, a weekend inside).
        assert_eq!(c.add_working_days(d(3, 20), 1), d(3, 26));
        assert_eq!(c.add_working_days(d(3, 20), 0), d(3, 20));
    }

    #[test]
    fn a_weekend_day_worked_counts_and_days_between_agree_with_adding() {
        let mut c = Calendar::kazakhstan_2026();
        c.worked.insert(d(10, 24)); // a Saturday worked instead
        assert_eq!(c.add_working_days(d(10, 23), 1), d(10, 24));
        for n in 0..40 {
            let end = c.add_working_days(d(12, 1), n);
            assert_eq!(c.working_days_between(d(12, 1), end), n, "{n} days to {end}");
        }
        // 16 December is Independence Day.
        assert!(!c.is_working_day(d(12, 16)));
        assert_eq!(c.working_days_between(d(12, 20), d(12, 1)), 0);
    }
}
