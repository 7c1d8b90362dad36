//! The school's own campaign report: fund help by month, help by giver, pupils helped, and what
//! the school writes in by hand.

use chrono::Utc;
use domain::{Actor, ErrorCode, Invalid, OrgUnitId};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter,
    Statement, StreamTrait,
};
use serde::Serialize;

use super::{Figures, Period};
use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{campaign, org_unit, school_report};
use crate::error::Error;
use crate::totals::{self, Reading};

/// What the school writes by hand: the measures it took (its raids are records of their own).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Notes {
    /// Measures taken, one per line.
    pub measures: String,
}

impl Notes {
    /// Checks what was typed.
    pub fn parse(measures: &str) -> Result<Notes, Invalid> {
        let measures = measures.trim().replace("\r\n", "\n");
        if measures.chars().count() > 4000 {
            return Err(Invalid(vec![domain::FieldError::new("measures", ErrorCode::TooLong).with_limit(4000)]));
        }
        Ok(Notes { measures })
    }
}

/// A school's raids in the period: what they add up to and each raid.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Raids {
    /// The figures.
    pub stats: crate::raids::Stats,
    /// The raids, by day (at most [`crate::raids::REPORT_LINES`]).
    pub lines: Vec<crate::raids::RaidLine>,
}

/// One month of fund help.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Month {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Pupils helped that month.
    pub pupils: i64,
    /// Sum, tiyn.
    pub amount: i64,
}

/// One giver other than the fund: a sponsor, or a fair or programme named by its organiser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Giver {
    /// `sponsor`, `fair` or `programme`.
    pub source: String,
    /// The sponsor's name or the organiser's; empty when nobody was named.
    pub name: String,
    /// Pupils helped.
    pub pupils: i64,
    /// Sum, tiyn.
    pub amount: i64,
}

/// The school's campaign report (the shape of seed 003).
#[derive(Debug, Clone, Serialize)]
pub struct SchoolReport {
    /// The school.
    pub school: org_unit::Model,
    /// Its district, region (for the heading).
    pub ancestors: Vec<org_unit::Model>,
    /// The campaign.
    pub campaign: campaign::Model,
    /// The period.
    pub period: Period,
    /// What the school wrote.
    pub notes: Notes,
    /// Fund help by month.
    pub fund: Vec<Month>,
    /// Pupils helped by the fund in all (each once).
    pub fund_pupils: i64,
    /// Sponsors and others, in the order their help was first recorded.
    pub givers: Vec<Giver>,
    /// Pupils helped by them in all (each once).
    pub givers_pupils: i64,
    /// The school's figures (identified, categories, items, sums).
    pub figures: Figures,
    /// What the school filled in for its papers (address, director, coordinator, addressee).
    pub details: crate::entity::unit_details::Model,
    /// Its raids in the period.
    pub raids: Raids,
    /// Its pupils out in the period.
    pub attendance: crate::attendance::Stats,
    /// The appeals it was in charge of, received in the period (or the campaign's year).
    pub appeals: crate::appeals::report::Stats,
}

impl SchoolReport {
    /// Fund help in all, tiyn.
    pub fn fund_total(&self) -> i64 {
        self.fund.iter().map(|m| m.amount).sum()
    }

    /// Help of sponsors and others in all, tiyn.
    pub fn givers_total(&self) -> i64 {
        self.givers.iter().map(|g| g.amount).sum()
    }
}

fn month_of(backend: DbBackend, col: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("to_char({col}, 'YYYY-MM')"),
        _ => format!("strftime('%Y-%m', {col})"),
    }
}

/// The statements of a school's own report: fund help by month, help by giver, pupils helped
/// by the fund and by others. Public so that the benchmark can run them raw.
pub fn school_statements(backend: DbBackend, campaign_id: i64, school_path: &str, period: Period) -> [Statement; 3] {
    let days = period.clause("e.entry_date");
    let path = crate::sql_path(school_path);
    let cid = campaign_id;
    let (delivered, kept) = (totals::delivered("e"), totals::kept("e", Reading::Within { campaign: cid, path: &path }));
    let base = format!("e.campaign_id = {cid} AND e.unit_path = '{path}' AND {delivered}{days}");
    let month = month_of(backend, "e.entry_date");
    let by_month = format!(
        "SELECT {month}, COUNT(DISTINCT CASE WHEN {kept} THEN e.child_id END), CAST(SUM(e.amount) AS BIGINT) \
         FROM ledger_entries e WHERE {base} AND e.source = 'fund' GROUP BY {month} ORDER BY {month}"
    );
    let givers = format!(
        "SELECT e.source, COALESCE(s.name, e.organised_by, ''), COUNT(DISTINCT CASE WHEN {kept} THEN e.child_id END), \
         CAST(SUM(e.amount) AS BIGINT), MIN(e.id) FROM ledger_entries e LEFT JOIN sponsors s ON s.id = e.sponsor_id \
         WHERE {base} AND e.source <> 'fund' GROUP BY e.source, e.sponsor_id, s.name, e.organised_by ORDER BY MIN(e.id)"
    );
    let pupils = format!(
        "SELECT CASE WHEN e.source = 'fund' THEN 'fund' ELSE 'other' END, COUNT(DISTINCT e.child_id) \
         FROM ledger_entries e WHERE {base} AND {kept} GROUP BY CASE WHEN e.source = 'fund' THEN 'fund' ELSE 'other' END"
    );
    [by_month, givers, pupils].map(|sql| Statement::from_string(backend, sql))
}

/// The report of a school (in the actor's scope) for campaign `c`.
pub async fn school(
    db: &(impl ConnectionTrait + StreamTrait),
    actor: &Actor,
    c: &campaign::Model,
    school: Option<OrgUnitId>,
    period: Period,
) -> Result<SchoolReport, Error> {
    let scoped = super::unit_of(db, actor, school).await?;
    let school = scoped.clone().into_inner();
    if school.kind != "school" {
        return Err(Error::Invalid(Invalid::one("unit", ErrorCode::NotASchool)));
    }
    let mut ancestors = crate::org::ancestors(db, actor, &school).await.unwrap_or_default();
    ancestors.retain(|a| a.id != school.id);
    let details = crate::entity::unit_details::Entity::find_by_id(school.id)
        .one(db)
        .await?
        .unwrap_or(crate::entity::unit_details::Model { unit_id: school.id, ..Default::default() });
    let backend = ConnectionTrait::get_database_backend(db);
    let (s, cid) = (school.id, c.id);
    let [by_month, givers, pupils] = school_statements(backend, cid, &school.path, period);
    let run = |st: Statement| db.query_all_raw(st);
    let (months, givers, pupils, figures) =
        futures::try_join!(run(by_month), run(givers), run(pupils), super::sql::totals(db, cid, &school.path, period))?;
    let fund = months
        .iter()
        .map(|r| {
            let ym: String = r.try_get_by_index(0)?;
            let (y, m) = ym.split_once('-').unwrap_or_default();
            Ok(Month {
                year: y.parse().unwrap_or_default(),
                month: m.parse().unwrap_or_default(),
                pupils: r.try_get_by_index(1)?,
                amount: r.try_get_by_index(2)?,
            })
        })
        .collect::<Result<Vec<_>, DbErr>>()?;
    let givers = givers
        .iter()
        .map(|r| {
            Ok(Giver {
                source: r.try_get_by_index(0)?,
                name: r.try_get_by_index(1)?,
                pupils: r.try_get_by_index(2)?,
                amount: r.try_get_by_index(3)?,
            })
        })
        .collect::<Result<Vec<_>, DbErr>>()?;
    let mut fund_pupils = 0;
    let mut givers_pupils = 0;
    for r in &pupils {
        let which: String = r.try_get_by_index(0)?;
        let n: i64 = r.try_get_by_index(1)?;
        if which == "fund" {
            fund_pupils = n;
        } else {
            givers_pupils = n;
        }
    }
    let notes = school_report::Entity::find()
        .filter(school_report::Column::CampaignId.eq(cid))
        .filter(school_report::Column::SchoolId.eq(s))
        .one(db)
        .await?
        .map(|n| Notes { measures: n.measures })
        .unwrap_or_default();
    let raids = Raids {
        stats: crate::raids::stats(db, cid, &scoped, period).await?,
        lines: crate::raids::lines_under(db, cid, &scoped, period).await?,
    };
    let attendance = crate::attendance::for_report(db, c, &scoped, period).await?;
    let today = domain::calendar::today();
    let (appeals, _) = crate::appeals::report::stats(db, &scoped, super::year_days(c, period), today).await?;
    Ok(SchoolReport {
        appeals,
        raids,
        attendance,
        details,
        school,
        ancestors,
        campaign: c.clone(),
        period,
        notes,
        fund,
        fund_pupils,
        givers,
        givers_pupils,
        figures,
    })
}

/// Saves what the school writes by hand (its coordinator, or a coordinator above it). Two first
/// saves at once both find no row; the one whose insert loses to the other's saves again, over it.
pub async fn save_notes(
    db: &Db,
    actor: &Actor,
    c: &campaign::Model,
    school: OrgUnitId,
    notes: &Notes,
) -> Result<(), Error> {
    if !actor.role.is_coordinator() {
        return Err(Error::Forbidden);
    }
    let unit = crate::org::get(db, actor, school).await?;
    if unit.kind != "school" {
        return Err(Error::Invalid(Invalid::one("unit", ErrorCode::NotASchool)));
    }
    let again = |e| match e {
        Error::Db(e) => Error::from(e),
        other => other,
    };
    match save_notes_once(db, actor, c, &unit, notes).await {
        Err(Error::Db(e)) if crate::error::is_unique_violation(&e) => {
            save_notes_once(db, actor, c, &unit, notes).await.map_err(again)
        }
        done => done.map_err(again),
    }
}

async fn save_notes_once(
    db: &Db,
    actor: &Actor,
    c: &campaign::Model,
    unit: &crate::entity::org_unit::Model,
    notes: &Notes,
) -> Result<(), Error> {
    let txn = crate::write_txn(db).await?;
    let existing = school_report::Entity::find()
        .filter(school_report::Column::CampaignId.eq(c.id))
        .filter(school_report::Column::SchoolId.eq(unit.id))
        .one(&txn)
        .await?;
    let before = existing.as_ref().and_then(|e| serde_json::to_value(e).ok());
    let mut row: school_report::ActiveModel = match existing {
        Some(e) => e.into(),
        // The typed raid columns of earlier versions stay empty: the raids are records now.
        None => school_report::ActiveModel {
            campaign_id: Set(c.id),
            school_id: Set(unit.id),
            raids: Set(0),
            raids_note: Set(String::new()),
            ..Default::default()
        },
    };
    row.measures = Set(notes.measures.clone());
    row.updated_by = Set(actor.user_id.0);
    row.updated_login = Set(actor.login.clone());
    row.updated_at = Set(Utc::now());
    // Its own error, not a field's: a lost race with another first save is tried again.
    let saved = row.save(&txn).await.map_err(Error::Db)?;
    let after = serde_json::json!({
        "measures": notes.measures, "campaign_id": c.id
    });
    let id = saved.id.clone().unwrap();
    audit::record(
        &txn,
        Who::User(actor),
        Entry {
            action: "update",
            entity: "school_report",
            entity_id: Some(id),
            unit_path: Some(&unit.path),
            before,
            after: Some(after),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
