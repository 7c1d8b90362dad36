//! Whether a pupil's age fits school (MISSION.md: grades 0–11): the age on 1 September of the
//! school year a record is made for, from the IIN's birth date.

use chrono::{Datelike, NaiveDate};

/// The youngest and oldest pupil, in whole years on 1 September.
pub const AGE_MIN: i64 = 5;
/// See [`AGE_MIN`].
pub const AGE_MAX: i64 = 21;

/// How far from a grade's usual age a record is taken without the school confirming it.
pub const AGE_SLACK: i64 = 2;

/// The 1 September that starts the school year `today` is in or is getting ready for: from June
/// (the campaign) it is this year's, before June last year's.
pub fn school_year_start(today: NaiveDate) -> NaiveDate {
    let year = if today.month() >= 6 { today.year() } else { today.year() - 1 };
    NaiveDate::from_ymd_opt(year, 9, 1).unwrap_or(today)
}

/// Whole years of age on `day`.
pub fn age_on(birth: NaiveDate, day: NaiveDate) -> i64 {
    let before_birthday = (day.month(), day.day()) < (birth.month(), birth.day());
    i64::from(day.year() - birth.year()) - i64::from(before_birthday)
}

/// The usual age on 1 September in `grade`: 6 in the first grade, 5 in the pre-school class.
pub fn usual_age(grade: i16) -> i64 {
    i64::from(grade) + 5
}

/// What the age says about a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgeFit {
    /// Within two years of the grade's usual age.
    Usual,
    /// Of school age but more than two years off the grade: taken once the school confirms it.
    Unusual(i64),
    /// Outside 5–21: not a pupil (a wrong IIN, most likely).
    OutOfSchool(i64),
}

/// How a pupil born on `birth` fits `grade` in the school year of `today`.
pub fn fit(birth: NaiveDate, grade: i16, today: NaiveDate) -> AgeFit {
    let age = age_on(birth, school_year_start(today));
    if !(AGE_MIN..=AGE_MAX).contains(&age) {
        AgeFit::OutOfSchool(age)
    } else if (age - usual_age(grade)).abs() > AGE_SLACK {
        AgeFit::Unusual(age)
    } else {
        AgeFit::Usual
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_school_year_starts_on_the_first_of_september_the_campaign_prepares_for() {
        assert_eq!(school_year_start(d(2026, 6, 1)), d(2026, 9, 1));
        assert_eq!(school_year_start(d(2026, 12, 2)), d(2026, 9, 1));
        assert_eq!(school_year_start(d(2027, 3, 15)), d(2026, 9, 1));
        assert_eq!(school_year_start(d(2027, 5, 31)), d(2026, 9, 1));
    }

    #[test]
    fn ages_fit_grades_within_two_years_and_school_within_five_to_twenty_one() {
        let today = d(2026, 8, 10);
        // Born 12.02.1976: fifty on 1 September, not a pupil of grade 3.
        assert_eq!(fit(d(1976, 2, 12), 3, today), AgeFit::OutOfSchool(50));
        // Six on 1 September (birthday on 1 September counts): the first grade.
        assert_eq!(fit(d(2020, 9, 1), 1, today), AgeFit::Usual);
        assert_eq!(age_on(d(2020, 9, 2), d(2026, 9, 1)), 5);
        // Four: too young even for the pre-school class.
        assert_eq!(fit(d(2021, 12, 1), 0, today), AgeFit::OutOfSchool(4));
        // Nine in grade 1 (3 years late): asked to confirm; eight is within the slack.
        assert_eq!(fit(d(2017, 5, 1), 1, today), AgeFit::Unusual(9));
        assert_eq!(fit(d(2018, 5, 1), 1, today), AgeFit::Usual);
        // Seventeen in grade 11 is usual, nineteen is not; twenty-two is not a pupil.
        assert_eq!(fit(d(2009, 1, 1), 11, today), AgeFit::Usual);
        assert_eq!(fit(d(2007, 1, 1), 11, today), AgeFit::Unusual(19));
        assert_eq!(fit(d(2005, 1, 1), 11, today), AgeFit::Unusual(21));
        assert_eq!(fit(d(2004, 1, 1), 11, today), AgeFit::OutOfSchool(22));
    }
}
