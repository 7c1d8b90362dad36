//! Reports (MISSION.md §7): the school's campaign report, the consolidated report of a
//! district, region or the republic, and the dashboard's figures, for the actor's own unit or
//! one below it, for a whole campaign or chosen dates.

mod appeals;
mod attendance;
pub mod document;
mod raids;

use chrono::NaiveDate;
use domain::{Actor, ErrorCode, FieldError, Invalid, OrgUnitId};

use crate::entity::{campaign, org_unit};
use crate::{Core, Error};

/// How a consolidated report's section names the units below the one reported on: their kind (the
/// first column's head), each one's cell, and the unit's own cell (for what it did itself, a
/// region's own raid, say).
pub(crate) struct ByUnit<'a> {
    sub: &'a str,
    name: &'a dyn Fn(&org_unit::Model) -> reports::Cell,
    own: reports::Cell,
}

pub use db::reports::{Consolidated, Figures, Giver, Month, Notes, Period, Previous, Row, SchoolReport};

/// A report as asked for, as typed (so a bad value can come back in the form).
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<'a> {
    /// Org unit id (the actor's own by default).
    pub unit: &'a str,
    /// Campaign year (the current campaign by default).
    pub year: &'a str,
    /// First day, `2022-08-01` or `01.08.2022`.
    pub from: &'a str,
    /// Last day.
    pub to: &'a str,
    /// A school's справка: its outgoing number.
    pub number: &'a str,
    /// A school's справка: its date.
    pub dated: &'a str,
}

/// Longest outgoing number.
pub const NUMBER_MAX: usize = 30;

/// A справка's outgoing number and date, where given (blanks for the pen otherwise).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outgoing {
    /// The number.
    pub number: Option<String>,
    /// The date.
    pub date: Option<NaiveDate>,
}

/// What a report query asks for, checked.
#[derive(Debug, Clone)]
pub struct Asked {
    /// The campaign.
    pub campaign: campaign::Model,
    /// The unit asked for, if any.
    pub unit: Option<OrgUnitId>,
    /// The period.
    pub period: Period,
    /// A school's справка: its number and date.
    pub outgoing: Outgoing,
}

/// Checks every field at once: the unit and year are numbers, the year has a campaign, the
/// dates are dates, the period does not end before it starts.
pub async fn ask(core: &Core, q: &Query<'_>) -> Result<Asked, Error> {
    let mut errors = Vec::new();
    let unit = match q.unit.trim() {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(id) => Some(OrgUnitId(id)),
            Err(_) => {
                errors.push(FieldError::new("unit", ErrorCode::NotANumber));
                None
            }
        },
    };
    let mut date = |field: &'static str, text: &str| -> Option<NaiveDate> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let parsed = domain::child::parse_date(text);
        if parsed.is_none() {
            errors.push(FieldError::new(field, ErrorCode::InvalidDate));
        }
        parsed
    };
    let from = date("from", q.from);
    let to = date("to", q.to);
    let dated = date("dated", q.dated);
    let number = match q.number.trim() {
        "" => None,
        n if n.chars().count() > NUMBER_MAX => {
            errors.push(FieldError::new("number", ErrorCode::TooLong).with_limit(NUMBER_MAX as i64));
            None
        }
        n if n.chars().any(char::is_control) => {
            errors.push(FieldError::new("number", ErrorCode::ControlChars));
            None
        }
        n => Some(n.to_owned()),
    };
    let period = match Period::new(from, to) {
        Ok(p) => Some(p),
        Err(Invalid(e)) => {
            errors.extend(e);
            None
        }
    };
    let year = match q.year.trim() {
        "" => None,
        s => match s.parse::<i32>() {
            Ok(y) => Some(y),
            Err(_) => {
                errors.push(FieldError::new("year", ErrorCode::NotANumber));
                return Err(Error::Invalid(Invalid(errors)));
            }
        },
    };
    let campaign = match crate::campaigns::chosen(core, year).await {
        Ok(c) => Some(c),
        Err(Error::Invalid(Invalid(e))) => {
            errors.extend(e);
            None
        }
        Err(other) => return Err(other),
    };
    match (campaign, period) {
        (Some(campaign), Some(period)) if errors.is_empty() => {
            Ok(Asked { campaign, unit, period, outgoing: Outgoing { number, date: dated } })
        }
        _ => Err(Error::Invalid(Invalid(errors))),
    }
}

/// The unit a report is asked for: the actor's own unit by default, refused outside the scope.
pub async fn unit_of(core: &Core, actor: &Actor, unit: Option<OrgUnitId>) -> Result<org_unit::Model, Error> {
    Ok(db::reports::unit_of(&core.db, actor, unit).await?.into_inner())
}

/// The consolidated report of a unit in scope.
pub async fn consolidated(core: &Core, actor: &Actor, asked: &Asked) -> Result<Consolidated, Error> {
    Ok(db::reports::consolidated(&core.db, actor, &asked.campaign, asked.unit, asked.period).await?)
}

/// A school's campaign report.
pub async fn school(core: &Core, actor: &Actor, asked: &Asked) -> Result<SchoolReport, Error> {
    Ok(db::reports::school(&core.db, actor, &asked.campaign, asked.unit, asked.period).await?)
}

/// The report a unit gets: a school its own, any other unit the consolidated one.
#[derive(Debug, Clone)]
pub enum Built {
    /// A school's own report.
    School(Box<SchoolReport>),
    /// The consolidated report of a district, a region or the republic.
    Consolidated(Box<Consolidated>),
}

/// The report of the unit asked for (in scope) and the unit.
pub async fn build(core: &Core, actor: &Actor, asked: &Asked) -> Result<(Built, org_unit::Model), Error> {
    let unit = unit_of(core, actor, asked.unit).await?;
    let asked = Asked { unit: Some(OrgUnitId(unit.id)), ..asked.clone() };
    let built = if unit.kind == "school" {
        Built::School(Box::new(school(core, actor, &asked).await?))
    } else {
        Built::Consolidated(Box::new(consolidated(core, actor, &asked).await?))
    };
    Ok((built, unit))
}

/// The dashboard: the consolidated report of a unit in scope and its delivered help by day.
pub async fn dashboard(core: &Core, actor: &Actor, asked: &Asked) -> Result<Dashboard, Error> {
    let r = consolidated(core, actor, asked).await?;
    let unit = db::reports::unit_of(&core.db, actor, Some(OrgUnitId(r.unit.id))).await?;
    let daily = db::reports::daily(&core.db, &asked.campaign, &unit, asked.period).await?;
    // Pupils out by day from 1 September to the period's end (or today), at most a school term.
    let sept = NaiveDate::from_ymd_opt(asked.campaign.year, 9, 1).unwrap_or(asked.campaign.starts_on);
    let today = domain::calendar::today();
    let end = asked.period.to.unwrap_or(today).min(today).min(sept + chrono::Days::new(120));
    let out = if end < sept {
        Vec::new()
    } else {
        db::attendance::curve(&core.db, asked.campaign.id, &unit, sept, end).await?
    };
    Ok(Dashboard { report: r, daily, out })
}

/// What the dashboard draws.
#[derive(Debug, Clone)]
pub struct Dashboard {
    /// The consolidated report of the unit.
    pub report: Consolidated,
    /// Help delivered by day, tiyn.
    pub daily: Vec<(NaiveDate, i64)>,
    /// Pupils out of school by day from 1 September.
    pub out: Vec<(NaiveDate, i64)>,
}

/// Saves what a school writes into its report by hand (the measures it took), checked first.
pub async fn save_notes(
    core: &Core,
    actor: &Actor,
    c: &campaign::Model,
    school: OrgUnitId,
    measures: &str,
) -> Result<(), Error> {
    let notes = Notes::parse(measures)?;
    Ok(db::reports::save_notes(&core.db, actor, c, school, &notes).await?)
}
