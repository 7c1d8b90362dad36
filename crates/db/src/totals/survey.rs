//! The survey's running totals (`survey_days`, written in each answer's transaction, per day and
//! district): read for a period by district of a region or by region of the country, and folded
//! into each unit's figures. Public figures: no answer is named.

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

use crate::entity::survey_day;

/// The survey's figures of one unit for a period.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Figures {
    /// The unit (a district of the region asked for, or a region of the country).
    pub unit_id: i64,
    /// Answers.
    pub answers: i64,
    /// Families whose children are not ready.
    pub not_ready: i64,
    /// Families asking for help.
    pub help: i64,
    /// Families missing each thing: `(code, count)`, in the list's order.
    pub missing: Vec<(String, i64)>,
}

impl Figures {
    /// No answers, each thing missing at zero.
    pub fn empty(unit_id: i64) -> Figures {
        let missing = domain::survey::Missing::ALL.iter().map(|m| (m.as_str().to_owned(), 0)).collect();
        Figures { unit_id, missing, ..Default::default() }
    }

    /// Adds another unit's figures to these.
    pub fn merge(&mut self, other: &Figures) {
        self.answers += other.answers;
        self.not_ready += other.not_ready;
        self.help += other.help;
        for (code, n) in &other.missing {
            match self.missing.iter_mut().find(|(k, _)| k == code) {
                Some((_, sum)) => *sum += n,
                None => self.missing.push((code.clone(), *n)),
            }
        }
    }

    /// Families missing one thing.
    pub fn missing(&self, code: &str) -> i64 {
        self.missing.iter().find(|(k, _)| k == code).map_or(0, |(_, n)| *n)
    }

    fn add(&mut self, metric: &str, n: i64) {
        match metric {
            "answers" => self.answers = n,
            "not_ready" => self.not_ready = n,
            "help" => self.help = n,
            m => {
                if let Some(slot) =
                    m.strip_prefix("missing_").and_then(|c| self.missing.iter_mut().find(|(k, _)| k == c))
                {
                    slot.1 = n;
                }
            }
        }
    }
}

/// Adds a day's new counts to those already there (`INSERT … ON CONFLICT`): an answer's, or a
/// bulk load's.
pub(crate) fn adding() -> sea_orm::sea_query::OnConflict {
    use sea_orm::sea_query::{Alias, OnConflict};
    let added = Expr::col((survey_day::Entity, survey_day::Column::Count))
        .add(Expr::col((Alias::new("excluded"), survey_day::Column::Count)));
    OnConflict::columns([survey_day::Column::Day, survey_day::Column::DistrictId, survey_day::Column::Metric])
        .value(survey_day::Column::Count, added)
        .to_owned()
}

/// The survey's figures for the days `from..=to`, by district of `region` (or by region of the
/// whole country), by unit id; units without answers left out.
pub async fn read(
    db: &impl ConnectionTrait,
    region: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Figures>, DbErr> {
    let by = if region.is_some() { survey_day::Column::DistrictId } else { survey_day::Column::RegionId };
    let mut q = survey_day::Entity::find()
        .select_only()
        .column(by)
        .column(survey_day::Column::Metric)
        .column_as(Expr::col(survey_day::Column::Count).sum().cast_as("BIGINT"), "n")
        .filter(survey_day::Column::Day.between(from, to));
    if let Some(r) = region {
        q = q.filter(survey_day::Column::RegionId.eq(r));
    }
    let rows: Vec<(i64, String, Option<i64>)> =
        q.group_by(by).group_by(survey_day::Column::Metric).into_tuple().all(db).await?;
    let mut out: Vec<Figures> = Vec::new();
    for (unit, metric, n) in rows {
        let i = match out.iter().position(|f| f.unit_id == unit) {
            Some(i) => i,
            None => {
                out.push(Figures::empty(unit));
                out.len() - 1
            }
        };
        out[i].add(&metric, n.unwrap_or(0));
    }
    out.sort_by_key(|f| f.unit_id);
    Ok(out)
}

/// The survey's figures of the unit at `path` and of each unit below it (a region's districts, the
/// republic's regions; none below a district), for the days; none for a school, whose answers are
/// counted with its district's.
pub async fn of_unit(
    db: &impl ConnectionTrait,
    path: &str,
    unit_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(Option<Figures>, Vec<Figures>), DbErr> {
    let (region, only) = match crate::scope::level_of(path) {
        None => (None, None),
        Some(("region_id", id)) => (Some(id), None),
        Some(("district_id", id)) => (crate::scope::levels(path).0, Some(id)),
        Some(_) => return Ok((None, Vec::new())),
    };
    let rows = read(db, region, from, to).await?;
    let mut total = Figures::empty(unit_id);
    match only {
        Some(district) => {
            rows.iter().filter(|f| f.unit_id == district).for_each(|f| total.merge(f));
            Ok((Some(total), Vec::new()))
        }
        None => {
            rows.iter().for_each(|f| total.merge(f));
            Ok((Some(total), rows))
        }
    }
}
